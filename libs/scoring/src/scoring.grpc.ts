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
    insertServiceScoreInProgress: unary(async (req) => {
      const { run, created } = await actions.markInProgress(req.serviceId);
      return { checkRun: checkRunToProto(run), alreadyInProgress: !created };
    }),
    insertServiceScore: unary(async (req) => {
      const { score, replayed } = await actions.insertScore(req);
      return { score: scoreToProto(score), replayed };
    }),
    insertServiceScoreDone: unary(async (req) => {
      const run = await actions.markDone(req.serviceId);
      return { checkRun: run === undefined ? undefined : checkRunToProto(run) };
    }),
    reportServiceError: unary(async (req) => {
      const row = await actions.reportServiceError({
        scoreId: req.scoreId,
        kind: kindFromProto(req.kind),
        message: req.message,
        detail: req.detail,
      });
      return { serviceError: serviceErrorToProto(row) };
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
