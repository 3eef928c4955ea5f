import type { FilePath } from './event-file.types.js';
import { formatPath } from './file-path.js';

/** One thing wrong with a competition file, where it is. */
export interface Problem {
  /** Where in the file; empty: the file as a whole. */
  path: FilePath;
  /** 1-based, when the place could be found in the file. */
  line?: number;
  /** Said after the path: " (for teams[3])" when the place is a template's. */
  note?: string;
  message: string;
}

/** How many problems a refusal lists (the rest are counted). */
const SHOWN = 20;

/** A competition file that cannot be applied: every problem found, each naming its path. */
export class EventFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    const lines = problems.slice(0, SHOWN).map((p) => describeProblem(file, p));
    if (problems.length > SHOWN) lines.push(`… and ${problems.length - SHOWN} more`);
    super(lines.join('\n'));
    this.name = 'EventFileError';
  }
}

/** `event.yaml:42: teams[3].services[2].port: must be 0–65535, got 70000` */
export function describeProblem(file: string, p: Problem): string {
  const where = p.path.length === 0 ? '' : `${formatPath(p.path)}${p.note ?? ''}: `;
  return `${file}${p.line === undefined ? '' : `:${p.line}`}: ${where}${p.message}`;
}
