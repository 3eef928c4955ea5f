import type { Logger } from '@checkwire/log';
import type { Backend } from './backend.js';
import type { Session, SessionStore } from './sessions.js';
import type { StreamSlots } from './stream-slots.js';

/** What every route handler may read from its request's context. */
export interface ConsoleEnv {
  Variables: {
    /** The signed-in browser's session; undefined for the public. */
    session: Session | undefined;
  };
}

/** What the routes are built from. */
export interface ConsoleDeps {
  backend: Backend;
  sessions: SessionStore;
  slots: StreamSlots;
  log: Logger;
  /** Where a trace id links to (`<jaegerUrl>/trace/<id>`), when set. */
  jaegerUrl: string | undefined;
  /** Cookies marked Secure (behind HTTPS). */
  secureCookies: boolean;
}

/** The session's token, or undefined for the public. */
export const tokenOf = (session: Session | undefined): string | undefined => session?.token;
