import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Who a signed-in browser is: the token it signed in with, and what WhoAmI said of it. */
export interface Session {
  readonly id: string;
  /** The Checkwire token every call on this session's behalf carries. Never sent to the browser. */
  readonly token: string;
  /** The token's id (revoking it ends this session). */
  readonly tokenId: number;
  readonly role: string;
  readonly name: string;
  readonly teamId: number | undefined;
  /** Sent back on every write (header `x-csrf-token`), compared here. */
  readonly csrf: string;
  expiresAt: number;
}

export interface SessionStoreOptions {
  /** A session unused this long is forgotten. @default 12 hours */
  idleMs?: number;
  /** Sessions kept at most; signing in beyond it forgets the least recently used. @default 10000 */
  maxSessions?: number;
  now?: () => number;
}

const newSecret = () => randomBytes(32).toString('base64url');

/**
 * Sessions in this process's memory: a restart signs everyone out (they sign in again with their
 * token). Bounded in number, so sign-ins in a loop cost memory for at most `maxSessions`.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.idleMs = options.idleMs ?? 12 * 60 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  create(who: Omit<Session, 'id' | 'csrf' | 'expiresAt'>): Session {
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done === true) break;
      this.sessions.delete(oldest.value);
    }
    const session: Session = {
      ...who,
      id: newSecret(),
      csrf: newSecret(),
      expiresAt: this.now() + this.idleMs,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (its idle time restarts), or undefined. */
  get(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    session.expiresAt = this.now() + this.idleMs;
    // Most recently used last: the first key is the one to forget when full.
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Forgets every session signed in with `token` (it was revoked, or refused). */
  forgetToken(token: string): void {
    for (const [id, session] of this.sessions)
      if (session.token === token) this.sessions.delete(id);
  }
}

/** Whether `given` is this session's CSRF token (in constant time). */
export function csrfMatches(session: Session, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
