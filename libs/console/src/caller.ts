import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { ConsoleEnv } from './console-env.js';

/** Who holds a live stream, for its bounds: the session, or the address of a public browser. */
export function callerOf(c: Context<ConsoleEnv>): string {
  const session = c.get('session');
  return session?.id ?? `address:${getConnInfo(c).remote.address ?? 'unknown'}`;
}
