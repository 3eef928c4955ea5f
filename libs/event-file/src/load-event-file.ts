import type { EventCompetition } from './event-file.types.js';
import { EventFileError, type Problem } from './event-file-error.js';
import { resolveEnvRefs } from './env-refs.js';
import { expandCompetition, type Origins } from './expand.js';
import { schemaProblems } from './schema.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

export interface LoadedEventFile {
  competition: EventCompetition;
  /** Where each expanded service came from (see `locate`). */
  origins: Origins;
  source: YamlSource;
}

/**
 * A competition file read, checked against its JSON Schema, its ${ENV_VAR} references and
 * templates resolved. Throws EventFileError listing every problem, each with its path and line.
 * @param file the name messages call it by
 */
export function loadEventFile(
  file: string,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): LoadedEventFile {
  const parsed = parseYaml(text);
  const fail = (problems: Problem[], source?: YamlSource): never => {
    throw new EventFileError(
      file,
      problems.map((p) => ({ ...p, line: p.line ?? source?.lineOf(p.path) })),
    );
  };
  if (parsed.source === undefined) return fail(parsed.problems);
  const source = parsed.source;
  const problems: Problem[] = [];
  const data = resolveEnvRefs(source.data, env, problems);
  problems.push(...schemaProblems(data));
  if (problems.length > 0) return fail(problems, source);
  const { competition, origins } = expandCompetition(
    data as Parameters<typeof expandCompetition>[0],
    problems,
  );
  const pools = new Set(competition.credential_pools.map((p) => p.name));
  competition.teams.forEach((team, t) =>
    team.services.forEach((s, j) => {
      if (s.credential_pool !== '' && !pools.has(s.credential_pool)) {
        problems.push({
          path: [...origins[t]![j]!, 'credential_pool'],
          message: `no credential pool named "${s.credential_pool}" in credential_pools`,
        });
      }
    }),
  );
  if (problems.length > 0) return fail(problems, source);
  return { competition, origins, source };
}

const SERVICE_FIELD = /^teams\[(\d+)\]\.services\[(\d+)\]\.?(.*)$/;

/** `teams[3].name` as ['teams', 3, 'name']. */
function parsePath(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] === undefined ? m[1]! : Number(m[2]),
  );
}

/**
 * A field the server named in the expanded competition (`teams[3].services[2].port`), as the
 * place in the file it came from: a template's service says which team it was for. Teams and
 * pools keep the file's order, so their paths are the file's.
 */
export function locate(
  loaded: LoadedEventFile,
  field: string,
): { path: (string | number)[]; line: number | undefined; note: string } {
  const match = SERVICE_FIELD.exec(field);
  const origin = match && loaded.origins[Number(match[1])]?.[Number(match[2])];
  if (!match || !origin) {
    const path = parsePath(field);
    return { path, line: loaded.source.lineOf(path), note: '' };
  }
  const path = [...origin, ...parsePath(match[3]!)];
  const note = origin[0] === 'templates' ? ` (for teams[${match[1]}])` : '';
  return { path, line: loaded.source.lineOf(path), note };
}
