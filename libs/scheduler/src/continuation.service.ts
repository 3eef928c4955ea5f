import type { Db } from '@checkwire/db';
import { nonEmpty } from '@checkwire/errors';
import type { Clock } from './clock.js';
import {
  checkContinuations,
  checkOrg,
  CONTINUATION_LIMITS,
  jsonObject,
  type ContinuationRequest,
} from './continuation-limits.js';
import { listWaiting, storeContinuations } from './continuation.repository.js';

/** At most this many continuations are listed (the soonest due first). */
export const MAX_LISTED_CONTINUATIONS = 1000;

export interface ScheduleInput {
  extensionName: string;
  sourceKey: string;
  org?: { oid: string; jwt: string; ident: string } | undefined;
  config?: Record<string, unknown> | undefined;
  continuations: readonly ContinuationRequest[];
}

export interface WaitingContinuation {
  id: string;
  extensionName: string;
  oid: string;
  action: string;
  dueAt: Date;
  attempts: number;
  lastError: string;
}

/** ContinuationService's rules: what may be stored, and telling the local worker. */
export class Continuations {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Called once continuations are stored (the worker here looks at its timer again). */
    private readonly stored: () => void,
  ) {}

  /** Checks and stores one answer's continuations; their ids in the request's order. */
  async schedule(input: ScheduleInput): Promise<string[]> {
    const L = CONTINUATION_LIMITS;
    const source = {
      extensionName: nonEmpty('extension_name', input.extensionName, L.maxExtensionNameChars),
      sourceKey: nonEmpty('source_key', input.sourceKey, L.maxSourceKeyChars),
      org: checkOrg('org', input.org),
      config: jsonObject('config', input.config, L.maxConfigBytes),
    };
    const list = checkContinuations('continuations', input.continuations);
    const ids = await storeContinuations(this.db, source, list, this.clock.now());
    if (ids.length > 0) this.stored();
    return ids;
  }

  async list(extensionName: string): Promise<WaitingContinuation[]> {
    const name = nonEmpty(
      'extension_name',
      extensionName,
      CONTINUATION_LIMITS.maxExtensionNameChars,
    );
    const rows = await listWaiting(this.db, name, MAX_LISTED_CONTINUATIONS);
    return rows.map((r) => ({
      id: r.id,
      extensionName: r.extension_name,
      oid: r.oid,
      action: r.action,
      dueAt: r.due_at,
      attempts: r.attempts,
      lastError: r.last_error ?? '',
    }));
  }
}
