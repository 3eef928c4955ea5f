export {
  DNS_RECORD_TYPES,
  NO_CHECK_SETTINGS,
  type ContentRule,
  type DnsRecordType,
  type DnsSettings,
  type FormLogin,
  type HeaderRule,
  type HttpSettings,
  type ServiceCheckSettings,
  type SqlSettings,
} from './check-settings.js';
export { compilePattern, describeRule, ruleHolds } from './content-rule.js';
export { judgeContent, REGEX_BUDGET_MS, rulesHold, type Judgement } from './judge.js';
export {
  checkSettingsFromStored,
  describeCheckSettings,
  hasContentRules,
  isNoCheckSettings,
  sameCheckSettings,
} from './stored.js';
export {
  checkSettingsFromWire,
  checkSettingsToWire,
  MAX_PATTERN,
  MAX_PROGRAM_SIZE,
  MAX_QUERY,
  MAX_REDIRECTS,
  MAX_RULE_TEXT,
  MAX_RULES,
  type WireContentRule,
  type WireServiceCheckSettings,
} from './wire.js';
export {
  checkSettingsFileToWire,
  checkSettingsWireToFile,
  readFileCheckSettings,
  type FileCheckSettings,
  type FileContentRule,
} from './file-form.js';
