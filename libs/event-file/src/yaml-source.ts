import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { FilePath } from './event-file.types.js';
import type { Problem } from './event-file-error.js';

/** The largest file read: far above any event (1,000 teams × 20 services is ~2 MiB). */
export const MAX_EVENT_FILE_BYTES = 8 * 1024 * 1024;

/** A parsed YAML file that can say on which line a path starts. */
export interface YamlSource {
  data: unknown;
  lineOf(path: FilePath): number | undefined;
}

/**
 * Parses YAML text. Aliases are expanded with a bound (a "billion laughs" file is refused), and
 * syntax errors come back as problems with their line.
 */
export function parseYaml(text: string): { source?: YamlSource; problems: Problem[] } {
  if (Buffer.byteLength(text) > MAX_EVENT_FILE_BYTES) {
    return {
      problems: [{ path: [], message: `is over ${MAX_EVENT_FILE_BYTES / 1024 / 1024} MiB` }],
    };
  }
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const line = (offset: number) => lines.linePos(offset).line;
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        path: [],
        line: line(e.pos[0]),
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return { problems: [{ path: [], message: `cannot be read: ${(err as Error).message}` }] };
  }
  return {
    problems: [],
    source: {
      data,
      lineOf(path) {
        // The nearest enclosing node that exists (a missing field: its parent's line).
        for (let n = path.length; n >= 0; n -= 1) {
          const node: unknown = doc.getIn(path.slice(0, n), true);
          if (isNode(node) && node.range) return line(node.range[0]);
        }
        return undefined;
      },
    },
  };
}
