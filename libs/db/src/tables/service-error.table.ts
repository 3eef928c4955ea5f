import type { Generated, Selectable } from 'kysely';

export const SERVICE_ERROR_KINDS = [
  'timeout',
  'content',
  'credentials',
  'connection',
  'other',
  /** Nobody could run the check: no live runner serves its service's pool. */
  'no_runner',
] as const;
export type ServiceErrorKindName = (typeof SERVICE_ERROR_KINDS)[number];

export interface ServiceErrorTable {
  id: Generated<number>;
  score_id: number;
  service_id: number;
  kind: ServiceErrorKindName;
  message: string;
  detail: string;
  created_at: Generated<Date>;
}

export type ServiceErrorRow = Selectable<ServiceErrorTable>;
