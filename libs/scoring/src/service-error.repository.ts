import { NotFoundError } from '@checkwire/errors';
import type { Db, ServiceErrorKindName, ServiceErrorRow } from '@checkwire/db';

export interface ServiceErrorInput {
  scoreId: number;
  kind: ServiceErrorKindName;
  message: string;
  detail: string;
}

/** Records an error against a score and the score's service. */
export async function insertServiceError(
  db: Db,
  input: ServiceErrorInput,
): Promise<ServiceErrorRow> {
  const row = await db
    .insertInto('service_error')
    .columns(['score_id', 'service_id', 'kind', 'message', 'detail'])
    .expression((eb) =>
      eb
        .selectFrom('score')
        .select((s) => [
          s.ref('id').as('score_id'),
          s.ref('service_id').as('service_id'),
          s.val(input.kind).as('kind'),
          s.val(input.message).as('message'),
          s.val(input.detail).as('detail'),
        ])
        .where('id', '=', input.scoreId),
    )
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError('score', input.scoreId);
  return row;
}

/** An error as listed: with its service's team, subtype and name, and its check's trace. */
export type ListedServiceError = ServiceErrorRow & {
  trace_id: string | null;
  team_id: number;
  subtype: string;
  service_name: string;
};

export interface ServiceErrorFilter {
  serviceId?: number | undefined;
  teamId?: number | undefined;
  subtype?: string | undefined;
  kind?: ServiceErrorKindName | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/** Newest first, each with its service's team, subtype and name and its check's trace id. */
export async function listServiceErrors(
  db: Db,
  f: ServiceErrorFilter,
): Promise<ListedServiceError[]> {
  let query = db
    .selectFrom('service_error')
    .innerJoin('service', 'service.id', 'service_error.service_id')
    .innerJoin('score', 'score.id', 'service_error.score_id')
    .leftJoin('check_run', 'check_run.id', 'score.check_run_id')
    .selectAll('service_error')
    .select([
      'check_run.trace_id',
      'service.team_id',
      'service.subtype',
      'service.name as service_name',
    ])
    .orderBy('service_error.id', 'desc')
    .limit(f.limit);
  if (f.serviceId !== undefined) query = query.where('service_error.service_id', '=', f.serviceId);
  if (f.teamId !== undefined) query = query.where('service.team_id', '=', f.teamId);
  if (f.subtype !== undefined) query = query.where('service.subtype', '=', f.subtype);
  if (f.kind !== undefined) query = query.where('service_error.kind', '=', f.kind);
  if (f.since !== undefined) query = query.where('service_error.created_at', '>=', f.since);
  if (f.until !== undefined) query = query.where('service_error.created_at', '<', f.until);
  if (f.beforeId !== undefined) query = query.where('service_error.id', '<', f.beforeId);
  return query.execute();
}
