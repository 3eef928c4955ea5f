// The generated barrel lists every message, enum and service by name (see tools/codegen).
export * from './gen/index.js';
export { loadDescriptorSet } from './descriptor.js';
import * as gen from './gen/index.js';
import { acceptingPartialRequests } from './partial-requests.js';

// The service definitions clients use, taking partial requests (these names shadow the barrel's).
export const AdminServiceService = acceptingPartialRequests(
  gen.AdminServiceService,
  gen.AdminServiceDefinition,
);
export const CheckQueueServiceService = acceptingPartialRequests(
  gen.CheckQueueServiceService,
  gen.CheckQueueServiceDefinition,
);
export const CompetitionServiceService = acceptingPartialRequests(
  gen.CompetitionServiceService,
  gen.CompetitionServiceDefinition,
);
export const ScoreboardServiceService = acceptingPartialRequests(
  gen.ScoreboardServiceService,
  gen.ScoreboardServiceDefinition,
);
export const AdjustmentServiceService = acceptingPartialRequests(
  gen.AdjustmentServiceService,
  gen.AdjustmentServiceDefinition,
);
export const PasswordChangeServiceService = acceptingPartialRequests(
  gen.PasswordChangeServiceService,
  gen.PasswordChangeServiceDefinition,
);
export const JobsServiceService = acceptingPartialRequests(
  gen.JobsServiceService,
  gen.JobsServiceDefinition,
);
export const LcHandlerServiceService = acceptingPartialRequests(
  gen.LcHandlerServiceService,
  gen.LcHandlerServiceDefinition,
);
export const LcRegistryServiceService = acceptingPartialRequests(
  gen.LcRegistryServiceService,
  gen.LcRegistryServiceDefinition,
);
export const ScoringServiceService = acceptingPartialRequests(
  gen.ScoringServiceService,
  gen.ScoringServiceDefinition,
);
export const StatusServiceService = acceptingPartialRequests(
  gen.StatusServiceService,
  gen.StatusServiceDefinition,
);
export const TokenServiceService = acceptingPartialRequests(
  gen.TokenServiceService,
  gen.TokenServiceDefinition,
);
export const LcExtensionServiceService = acceptingPartialRequests(
  gen.LcExtensionServiceService,
  gen.LcExtensionServiceDefinition,
);
export const ContinuationServiceService = acceptingPartialRequests(
  gen.ContinuationServiceService,
  gen.ContinuationServiceDefinition,
);
