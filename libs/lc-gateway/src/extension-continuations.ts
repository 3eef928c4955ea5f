import type { PromiseClient } from '@checkwire/grpc';
import { extensionError, type ExtensionResponseBody } from '@checkwire/lc-wire';
import { createLogger } from '@checkwire/log';
import type { Continuation, ContinuationServiceService, ExtensionOrg } from '@checkwire/proto';
import { continuationsFailure, NOT_STORED } from './extension-failures.js';
import type { ExtensionRoute } from './extension-route.js';

export type ContinuationClient = PromiseClient<typeof ContinuationServiceService>;

const LOG = createLogger('lc-gateway');

/** What the continuations of one answer are stored with. */
export interface ContinuationSource {
  /** The envelope's idempotency_key: the same message sent again stores nothing twice. */
  sourceKey: string;
  org: ExtensionOrg;
  config: Record<string, unknown>;
  /** Time left for storing them (the rest of LimaCharlie's two minutes). */
  deadlineMs: number;
}

/** The first continuation the extension could never have run, or undefined. */
function invalid(route: ExtensionRoute, actions: ReadonlySet<string>, list: Continuation[]) {
  for (const c of list) {
    if (!Number.isSafeInteger(c.inDelaySec) || c.inDelaySec < 0) {
      return `extension ${route.name} asked for a continuation in ${c.inDelaySec} s (must be 0 or more)`;
    }
    if (!actions.has(c.action)) {
      return `extension ${route.name} asked for a continuation of ${JSON.stringify(c.action)}, an action it does not declare`;
    }
  }
  return undefined;
}

/**
 * Hands an answer's continuations to the scheduler's ContinuationService before the answer goes
 * back: undefined once they are stored (or there are none), else the answer LimaCharlie gets
 * instead. Without a scheduler, or when it cannot be reached, the answer is retriable: the handler
 * is asked again, so nothing is lost. Checkwire runs the continuations itself (the scheduler calls
 * OnExtensionRequest when each is due), so the answer to LimaCharlie carries none.
 */
export async function storeContinuations(
  scheduler: ContinuationClient | undefined,
  route: ExtensionRoute,
  actions: ReadonlySet<string>,
  continuations: Continuation[],
  source: ContinuationSource,
): Promise<ExtensionResponseBody | undefined> {
  if (continuations.length === 0) return undefined;
  const problem = invalid(route, actions, continuations);
  if (problem !== undefined) return extensionError(problem, false);
  if (scheduler === undefined) {
    LOG.outage(
      'scheduler',
      `continuations of ${route.name} not stored: SCHEDULER_ADDRESS is not set`,
    );
    return extensionError(`${NOT_STORED} (the gateway has no scheduler)`);
  }
  try {
    await scheduler.scheduleContinuations(
      {
        extensionName: route.name,
        sourceKey: source.sourceKey,
        org: source.org,
        config: source.config,
        continuations,
      },
      // Idempotent on (extension_name, source_key): safe to send again through a scheduler blip.
      { deadlineMs: Math.max(1000, source.deadlineMs), retry: true },
    );
    return undefined;
  } catch (err) {
    return continuationsFailure(route, err);
  }
}
