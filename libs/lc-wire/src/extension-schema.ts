/**
 * lc-extension's schema spelling (common/config_schema.go, request_schema.go), as extensions
 * declare their config and their actions' parameters and LimaCharlie reads them in the answer to
 * `schema_request`. Field names are the wire's (snake_case): these objects pass through as JSON.
 */

/** lc-extension's SchemaDataTypes. */
export const SCHEMA_DATA_TYPES = [
  'string',
  'integer',
  'bool',
  'enum',
  'complex_enum',
  'secret',
  'sid',
  'oid',
  'platform',
  'architecture',
  'sensor_selector',
  'event_name',
  'tag',
  'duration',
  'time',
  'url',
  'domain',
  'text',
  'json',
  'yaml',
  'code',
  'yara_rule',
  'yara_rule_name',
  'object',
  'record',
] as const;
export type SchemaDataType = (typeof SCHEMA_DATA_TYPES)[number];

/** One field of a SchemaObject (lc-extension's SchemaElement). */
export interface SchemaElement {
  data_type: SchemaDataType;
  description?: string;
  label?: string;
  placeholder?: string;
  /** A list of values of `data_type`. */
  is_list?: boolean;
  display_index?: number;
  default_value?: unknown;
  /** `object` / `record`: the nested object's shape. */
  object?: SchemaObject;
  /** `enum`: the values allowed. */
  enum_values?: unknown[];
  supported_actions?: string[];
  /**
   * Not in lc-extension's Go struct any more, but in its examples: a field that must be present.
   * The gateway honours it as one more requirement.
   */
  is_required?: boolean;
  [more: string]: unknown;
}

/** lc-extension's SchemaObject: fields, and requirements on which of them are set. */
export interface SchemaObject {
  fields: Record<string, SchemaElement>;
  /**
   * Each inner list names fields of which one and only one must be set (lc-extension: "All field
   * sets must be satisfied. Each field [set] specifies fields where one and only one must be set").
   */
  requirements?: string[][];
  key?: Record<string, unknown>;
  element_name?: string;
  element_desc?: string;
  [more: string]: unknown;
}

/** One action in the answer to `schema_request` (lc-extension's RequestSchema). */
export interface RequestSchema {
  is_user_facing: boolean;
  short_description: string;
  long_description: string;
  is_impersonated: boolean;
  parameters: SchemaObject;
  response: SchemaObject | null;
  [more: string]: unknown;
}

/** The answer's `data` to `schema_request` (lc-extension's SchemaRequestResponse). */
export interface SchemaRequestData {
  views?: unknown[];
  config_schema: SchemaObject;
  request_schema: Record<string, RequestSchema>;
  required_events: string[];
  [more: string]: unknown;
}
