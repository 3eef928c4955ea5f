import { unary, type ServiceBinding } from '@checkwire/grpc';
import { ScoringServiceService, type ScoringServiceServer } from '@checkwire/proto';
import type { Access } from './access.js';
import { SCORING_POLICY } from './scoring.policy.js';
import {
  checkRunToProto,
  kindFromProto,
  scoreToProto,
  serviceErrorToProto,
} from './proto-mappers.js';
import { redactAnswered } from './redaction.js';
import { startedChecksToProto } from './started-checks.js';
import type { ScoringActions } from './scoring.service.js';

/**
 * gRPC edge of checkwire.scoring.v1.ScoringService: protobuf in, domain call, protobuf out.
 * Admin and check-runner tokens (SCORING_POLICY); a limited runner only for its services, the
 * scheduler only for give-ups.
 */
export function scoringServiceBinding(actions: ScoringActions, access: Access): ServiceBinding {
  const implementation: ScoringServiceServer = {
    // Each answer names the check's trace (response metadata checkwire-trace-id).
    insertServiceScoreInProgress: unary(
      access.unary(SCORING_POLICY, 'insertServiceScoreInProgress', async (req, context, p) => {
        await access.requireMayScoreServices(p, [req.serviceId]);
        const { value, traceId } = await actions.markInProgress(
          req.serviceId,
          context.caller,
          context.ended,
        );
        const { run, created } = value;
        context.traceId = traceId ?? context.traceId;
        return { checkRun: checkRunToProto(run), alreadyInProgress: !created };
      }),
    ),
    insertServiceScore: unary(
      access.unary(SCORING_POLICY, 'insertServiceScore', async (req, context, p) => {
        await access.requireMayScoreServices(p, [req.serviceId]);
        const { value, traceId } = await actions.insertScore(req, context.ended);
        context.traceId = traceId ?? context.traceId;
        return {
          score: scoreToProto(redactAnswered(p, value.score, value.replayed)),
          replayed: value.replayed,
        };
      }),
    ),
    insertServiceScoreDone: unary(
      access.unary(SCORING_POLICY, 'insertServiceScoreDone', async (req, context, p) => {
        await access.requireMayScoreServices(p, [req.serviceId]);
        const { value: run, traceId } = await actions.markDone(req.serviceId, context.ended);
        context.traceId = traceId ?? context.traceId;
        return { checkRun: run === undefined ? undefined : checkRunToProto(run) };
      }),
    ),
    reportServiceError: unary(
      access.unary(SCORING_POLICY, 'reportServiceError', async (req, context, p) => {
        await access.requireMayScoreScore(p, req.scoreId);
        const { value, traceId } = await actions.reportServiceError({
          scoreId: req.scoreId,
          kind: kindFromProto(req.kind),
          message: req.message,
          detail: req.detail,
        });
        context.traceId = traceId ?? context.traceId;
        return { serviceError: serviceErrorToProto(value) };
      }),
    ),
    insertServiceScores: unary(
      access.unary(SCORING_POLICY, 'insertServiceScores', async (req, _context, p) => {
        await access.requireMayScoreServices(
          p,
          req.entries.map((e) => e.serviceId),
        );
        const results = await actions.insertScores(req.entries);
        return {
          scores: results.map((r) => scoreToProto(redactAnswered(p, r.score, r.replayed))),
          replayed: results.map((r) => r.replayed),
        };
      }),
    ),
    startServiceChecks: unary(
      access.unary(SCORING_POLICY, 'startServiceChecks', async (req, _context, p) => {
        await access.requireMayScoreServices(p, req.serviceIds);
        const started = await actions.batches.start(req.serviceIds);
        return { checks: startedChecksToProto(p, started) };
      }),
    ),
    finishServiceChecks: unary(
      access.unary(SCORING_POLICY, 'finishServiceChecks', async (req, _context, p) => {
        access.requireGiveUpsOnly(p, req.entries);
        await access.requireMayScoreServices(
          p,
          req.entries.map((e) => e.serviceId),
        );
        const finished = await actions.batches.finish(
          req.entries.map((e) => ({
            serviceId: e.serviceId,
            result: e.result,
            errorMsg: e.errorMsg,
            requestId: e.requestId,
            checkRunId: e.checkRunId,
            roundAt: e.roundTime,
            error:
              e.error === undefined
                ? undefined
                : {
                    kind: kindFromProto(e.error.kind),
                    message: e.error.message,
                    detail: e.error.detail,
                  },
          })),
        );
        return {
          checks: finished.map((f) => ({
            serviceId: f.serviceId,
            score:
              f.score === undefined
                ? undefined
                : scoreToProto(redactAnswered(p, f.score, f.replayed)),
            replayed: f.replayed,
            serviceError: f.error === undefined ? undefined : serviceErrorToProto(f.error),
            checkRun: f.closed === undefined ? undefined : checkRunToProto(f.closed),
            administrativelyDown: f.down,
          })),
        };
      }),
    ),
  };
  return {
    name: 'checkwire.scoring.v1.ScoringService',
    definition: ScoringServiceService,
    implementation,
  };
}
