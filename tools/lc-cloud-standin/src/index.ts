export {
  RULE_NAMESPACES,
  rulePermission,
  type DeliveredTask,
  type StoredRule,
} from './standin.cloud.js';
export type { StandinFault } from './standin.faults.js';
export {
  LcCloudStandin,
  newOid,
  type StandinOptions,
  type StandinRequest,
} from './standin.server.js';
