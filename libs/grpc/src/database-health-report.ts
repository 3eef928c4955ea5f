import { createLogger } from '@checkwire/log';
import type { RunningGrpcServer } from './server.js';

/**
 * What a server does when its database becomes unreachable or reachable again: health says
 * NOT_SERVING / SERVING, and one line says so (not a line per failed call).
 */
export function reportDatabaseHealth(
  app: string,
  server: Pick<RunningGrpcServer, 'setServing'>,
  reachable: boolean,
  reason: string,
): void {
  server.setServing(reachable);
  const log = createLogger(app);
  if (reachable) log.info('the database answers again; health SERVING');
  else log.warn(`the database is unreachable (${reason}); health NOT_SERVING until it is back`);
}
