import type { CompetitionRow, Db } from '@checkwire/db';

/** The competition's check settings, if a competition file was ever applied. */
export async function readCompetitionSettings(
  db: Db,
): Promise<
  | Pick<
      CompetitionRow,
      'check_interval_seconds' | 'check_jitter_seconds' | 'check_timeout_seconds' | 'check_retries'
    >
  | undefined
> {
  return db
    .selectFrom('competition')
    .select([
      'check_interval_seconds',
      'check_jitter_seconds',
      'check_timeout_seconds',
      'check_retries',
    ])
    .executeTakeFirst();
}
