import { hostPortProblem } from './host-port.js';

/** A refusal at a JSON path inside a variable's value, e.g. `[1].handler`. */
export class JsonProblem extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'JsonProblem';
  }
}

/** `a number`, `an object`, `null`: what a JSON value is, never what it says (it may be a secret). */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * One object of a JSON list, read field by field. Each refusal names the field's path; only
 * addresses are quoted back (any other field may hold a secret).
 */
export class JsonEntry {
  constructor(
    /** e.g. `[1]` */
    readonly path: string,
    private readonly fields: Readonly<Record<string, unknown>>,
  ) {}

  /** A required, non-empty string. */
  string(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined) {
      throw new JsonProblem(`${this.path}.${key}`, 'is missing', `add "${key}" to ${this.path}`);
    }
    return value;
  }

  /** A non-empty string, or undefined when the field is left out. */
  optionalString(key: string): string | undefined {
    if (!Object.hasOwn(this.fields, key)) return undefined;
    const value = this.fields[key];
    const path = `${this.path}.${key}`;
    if (typeof value !== 'string') {
      throw new JsonProblem(path, `is ${jsonKind(value)}, not a string`, 'make it a string');
    }
    if (value === '') throw new JsonProblem(path, 'is empty', 'fill it in');
    return value;
  }

  /** A required address to dial (see hostPortProblem). */
  hostPort(key: string, example: string): string {
    const value = this.string(key);
    const problem = hostPortProblem(value);
    if (problem !== undefined) {
      throw new JsonProblem(
        `${this.path}.${key}`,
        problem,
        `write it as host:port, e.g. ${example}`,
      );
    }
    return value;
  }
}
