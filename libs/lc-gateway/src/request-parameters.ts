import { ParameterType, type RequestParameter } from '@checkwire/proto';

const TYPE_NAMES: Record<ParameterType, string | undefined> = {
  [ParameterType.PARAMETER_TYPE_UNSPECIFIED]: undefined,
  [ParameterType.PARAMETER_TYPE_INT]: 'int',
  [ParameterType.PARAMETER_TYPE_STR]: 'str',
  [ParameterType.PARAMETER_TYPE_BOOL]: 'bool',
  [ParameterType.PARAMETER_TYPE_ENUM]: 'enum',
  [ParameterType.UNRECOGNIZED]: undefined,
};

/** The declarations as lcservice reports them in health's `mtd.request_params`. */
export function describeParameters(
  params: Record<string, RequestParameter>,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(params).map(([name, p]) => [
      name,
      {
        type: TYPE_NAMES[p.type] ?? 'str',
        desc: p.description,
        is_required: p.isRequired,
        ...(p.type === ParameterType.PARAMETER_TYPE_ENUM ? { values: p.values } : {}),
      },
    ]),
  );
}

function hasType(type: ParameterType, value: unknown): boolean {
  switch (type) {
    // Python's isinstance(value, int) accepts booleans too; LimaCharlie sends JSON, where an int
    // is an integral number.
    case ParameterType.PARAMETER_TYPE_INT:
      return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'boolean';
    case ParameterType.PARAMETER_TYPE_STR:
      return typeof value === 'string';
    case ParameterType.PARAMETER_TYPE_BOOL:
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/**
 * lcservice's check of a `request` callback's data against setRequestParameters, in declaration
 * order; the first problem, or undefined. Unknown parameters pass through.
 */
export function invalidParameter(
  params: Record<string, RequestParameter>,
  data: Record<string, unknown>,
): string | undefined {
  for (const [name, p] of Object.entries(params)) {
    // Own keys only: a parameter named `constructor` is missing, not Object's constructor.
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    if (value === undefined || value === null) {
      if (p.isRequired) return `missing parameter ${name}`;
      continue;
    }
    if (p.type === ParameterType.PARAMETER_TYPE_ENUM) {
      if (!p.values.includes(value as string))
        return `invalid parameter ${name}: enum has invalid value`;
    } else if (!hasType(p.type, value)) {
      return `invalid parameter ${name}: wrong data type`;
    }
  }
  return undefined;
}
