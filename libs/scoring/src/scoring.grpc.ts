import { unary, type ServiceBinding } from '@checkwire/grpc';
import { ScoringServiceService, type ScoringServiceServer } from '@checkwire/proto';
import {
  checkRunToProto,
  kindFromProto,
  scoreToProto,
  serviceErrorToProto,
} from './proto-mappers.js';
import type { ScoringActions } from './scoring.service.js';

/** gRPC edge of checkwire.scoring.v1.ScoringService: protobuf in, domain call, protobuf out. */
export function scoringServiceBinding(actions: ScoringActions): ServiceBinding {
  const implementation: ScoringServiceServer = {
    // Each answer names the check's trace (response metadata checkwire-trace-id).
    insertServiceScoreInProgress: unary(async (req, context) => {
      const { value, traceId } = await actions.markInProgress(req.serviceId, context.caller);
      const { run, created } = value;
      context.traceId = traceId ?? context.traceId;
      return { checkRun: checkRunToProto(run), alreadyInProgress: !created };
    }),
    insertServiceScore: unary(async (req, context) => {
      const { value, traceId } = await actions.insertScore(req);
      context.traceId = traceId ?? context.traceId;
      return { score: scoreToProto(value.score), replayed: value.replayed };
    }),
    insertServiceScoreDone: unary(async (req, context) => {
      const { value: run, traceId } = await actions.markDone(req.serviceId);
      context.traceId = traceId ?? context.traceId;
      return { checkRun: run === undefined ? undefined : checkRunToProto(run) };
    }),
    reportServiceError: unary(async (req, context) => {
      const { value, traceId } = await actions.reportServiceError({
        scoreId: req.scoreId,
        kind: kindFromProto(req.kind),
        message: req.message,
        detail: req.detail,
      });
      context.traceId = traceId ?? context.traceId;
      return { serviceError: serviceErrorToProto(value) };
    }),
    insertServiceScores: unary(async (req) => {
      const results = await actions.insertScores(req.entries);
      return {
        scores: results.map((r) => scoreToProto(r.score)),
        replayed: results.map((r) => r.replayed),
      };
    }),
  };
  return {
    name: 'checkwire.scoring.v1.ScoringService',
    definition: ScoringServiceService,
    implementation,
  };
}
