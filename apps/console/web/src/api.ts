/** What the console's API says of the signed-in browser. */
export interface Me {
  signedIn: boolean;
  role: 'admin' | 'blue' | 'red' | 'green' | 'public';
  name: string;
  teamId: number | null;
  csrf: string;
}

export interface Team {
  id: number;
  name: string;
}

export interface StatusCell {
  serviceId: number;
  teamId: number;
  name: string;
  subtype: string;
  inProgress: boolean;
  lastScan: number | null;
  lastScanTime: string | null;
  /** A lastScan above 0 and below it earned part of the service's points. */
  scoreCap: number | null;
  lastScanError: string | null;
  administrativelyDown: boolean;
  downReason: string;
  version: number;
}

/** How a service did in a round, as the scoreboard counts it. */
export type RoundStatus = 'up' | 'partial' | 'down' | 'error';

/** The scoreboard: points are net of SLA penalties (`penaltyPoints` says how much they took). */
export interface Scoreboard {
  rounds: number;
  latestRoundTime: string | null;
  teams: {
    teamId: number;
    name: string;
    rank: number;
    points: number;
    uptime: number;
    adjustmentPoints: number;
    penaltyPoints: number;
    services: {
      serviceId: number;
      name: string;
      subtype: string;
      points: number;
      uptime: number;
      lastUp: boolean;
      /** In the latest round it was scored in; null before any. */
      lastStatus: RoundStatus | null;
      penaltyPoints: number;
      roundsPartial: number;
    }[];
    /** Oldest first. */
    recentRounds: { round: number; time: string | null; points: number; penaltyPoints: number }[];
  }[];
}

/** What re-scoring a round did: services counted again, and each team whose points moved. */
export interface RescoreResult {
  services: number;
  changed: { teamId: number; pointsBefore: number; pointsAfter: number }[];
  auditId: number | null;
}

export interface ServiceErrorEntry {
  id: number;
  scoreId: number;
  serviceId: number;
  serviceName: string;
  teamId: number;
  subtype: string;
  kind: string;
  message: string;
  detail: string;
  createdAt: string | null;
  traceId: string | null;
  traceUrl: string | null;
}

/** An answer the API refused, with the words it gave. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';

/** Fired when the console answers 401: the session's token was revoked (or it forgot the session). */
export const SIGNED_OUT_EVENT = 'checkwire:signed-out';

export function signedOut(message: string): void {
  window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT, { detail: message }));
}

/** Calls the console's API; a refusal becomes an ApiError carrying the server's message. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const write = init.method !== undefined && init.method !== 'GET';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: write ? { 'content-type': 'application/json', 'x-csrf-token': csrf } : {},
      body: write ? JSON.stringify(init.body ?? {}) : undefined,
    });
  } catch {
    throw new ApiError(0, 'the console did not answer: is it running?');
  }
  const payload: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message =
      typeof payload === 'object' &&
      payload !== null &&
      'error' in payload &&
      typeof payload.error === 'string'
        ? payload.error
        : `the console answered ${response.status}`;
    // (Signing in with a bad token is answered 401 too: that is not a sign-out.)
    if (response.status === 401 && path !== '/session') signedOut(message);
    throw new ApiError(response.status, message);
  }
  if (path === '/session') csrf = (payload as Me).csrf;
  return payload as T;
}

export type AttachmentView =
  | { caption: string; kind: 'hex'; base64: string }
  | { caption: string; kind: 'table'; headers: string[]; rows: string[][] }
  | { caption: string; kind: 'json' | 'yaml'; text: string }
  | { caption: string; kind: 'empty' };

export interface NarrationView {
  id: string | null;
  time: string | null;
  message: string;
  important: boolean;
  attachments: AttachmentView[];
}

export interface JobView {
  id: string;
  oid: string;
  serviceName: string;
  cause: string;
  sensorIds: string[];
  startTime: string | null;
  endTime: string | null;
  narration: NarrationView[];
}

/** A service as the white team edits it (every seed field; the password only as "is set"). */
export interface ServiceView {
  id: number;
  teamId: number;
  name: string;
  subtype: string;
  url: string;
  port: number;
  external: boolean;
  username: string;
  hasPassword: boolean;
  credentialPoolId?: number;
  teamSpecificInfo: string;
  protocol: string;
  httpString: string;
  runnerPool: string;
  /** As the competition file spells them ({} for none): libs/checks/README.md. */
  checkSettings: Record<string, unknown>;
  teamSpecific: boolean;
  publicVisibility: boolean;
  blueVisibility: boolean;
  greenVisibility: boolean;
  redVisibility: boolean;
  administrativelyDown: boolean;
  downReason: string;
  scoreCap?: number;
  points?: number;
}

export interface TokenView {
  id: number;
  name: string;
  role: string;
  teamId: number | null;
  prefix: string;
  createTime: string | null;
  revokeTime: string | null;
}

export interface AuditView {
  id: number;
  time: string | null;
  actor: string;
  action: string;
  subject: string;
  reason: string;
  before: string;
  after: string;
}

export interface PasswordChangeView {
  id: number;
  /** 0 for a credential pool entry's request. */
  serviceId: number;
  poolId: number;
  poolName: string;
  /** 0: no one team (an admin's request for a shared pool). */
  teamId: number;
  username: string;
  state: string;
  requestTime: string | null;
  applyTime: string | null;
  decideTime: string | null;
  decisionReason: string;
}
