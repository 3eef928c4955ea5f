import type { Db, LcContinuationRow } from '@checkwire/db';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  nonEmpty,
  NotFoundError,
} from '@checkwire/errors';
import { createLogger } from '@checkwire/log';
import type { Clock } from './clock.js';
import {
  checkContinuations,
  checkOrg,
  CONTINUATION_LIMITS,
  jsonObject,
  type ContinuationRequest,
} from './continuation-limits.js';
import {
  findContinuation,
  listContinuations,
  requeueContinuation,
  storeContinuations,
} from './continuation.repository.js';

const LOG = createLogger('scheduler');

/** A continuation's id, as PostgreSQL's gen_random_uuid writes it (any case is taken). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** At most this many continuations are listed (waiting ones first, the soonest due first). */
export const MAX_LISTED_CONTINUATIONS = 1000;

export interface ScheduleInput {
  extensionName: string;
  sourceKey: string;
  org?: { oid: string; jwt: string; ident: string } | undefined;
  config?: Record<string, unknown> | undefined;
  continuations: readonly ContinuationRequest[];
}

/** A continuation as ListContinuations and RequeueContinuation show it. */
export interface ListedContinuation {
  id: string;
  extensionName: string;
  oid: string;
  action: string;
  dueAt: Date;
  attempts: number;
  lastError: string;
  /** Unset while it waits. */
  finishedAt: Date | undefined;
  /** `delivered`, `gave_up`, or '' while it waits. */
  outcome: string;
}

function listed(r: LcContinuationRow): ListedContinuation {
  return {
    id: r.id,
    extensionName: r.extension_name,
    oid: r.oid,
    action: r.action,
    dueAt: r.due_at,
    attempts: r.attempts,
    lastError: r.last_error ?? '',
    finishedAt: r.finished_at ?? undefined,
    outcome: r.outcome ?? '',
  };
}

/** ContinuationService's rules: what may be stored, and telling the local worker. */
export class Continuations {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Called once continuations are stored or requeued (the worker here looks again). */
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

  /** An extension's waiting continuations (with `includeSettled`, the settled ones too). */
  async list(extensionName: string, includeSettled: boolean): Promise<ListedContinuation[]> {
    const name = nonEmpty(
      'extension_name',
      extensionName,
      CONTINUATION_LIMITS.maxExtensionNameChars,
    );
    const rows = await listContinuations(this.db, name, MAX_LISTED_CONTINUATIONS, includeSettled);
    return rows.map(listed);
  }

  /**
   * Puts a given-up continuation back in the queue, due now, its attempts reset; its last error
   * stays on it and goes to the log. Refused for one that is waiting or was delivered.
   */
  async requeue(id: string): Promise<ListedContinuation> {
    const wanted = nonEmpty('id', id, 36);
    if (!UUID.test(wanted)) {
      throw new InvalidArgumentError(
        'id',
        `must be a continuation's id (a UUID), got ${JSON.stringify(wanted)}`,
      );
    }
    const row = await requeueContinuation(this.db, wanted, this.clock.now());
    if (row === undefined) {
      const found = await findContinuation(this.db, wanted);
      if (found === undefined) throw new NotFoundError('continuation', wanted);
      throw new FailedPreconditionError(
        `continuation ${found.id} was not given up (${found.outcome === 'delivered' ? 'it was delivered' : 'it is waiting'}): only a given-up continuation can be requeued`,
      );
    }
    LOG.info(
      `requeued continuation ${row.id} (${row.extension_name} ${row.action} for ${row.oid}), given up with: ${row.last_error ?? ''}`,
    );
    this.stored();
    return listed(row);
  }
}
