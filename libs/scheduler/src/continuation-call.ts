import { GrpcStatus, isGrpcError, type PromiseClient } from '@checkwire/grpc';
import type { Continuation, LcExtensionServiceService } from '@checkwire/proto';
import type { ClaimedContinuation } from './continuation.repository.js';

export type ExtensionClient = PromiseClient<typeof LcExtensionServiceService>;

/** What came of calling an extension with one continuation. */
export type CallOutcome =
  /** Answered without an error: delivered; the answer's own continuations to store. */
  | { kind: 'answered'; continuations: Continuation[] }
  /** Answered with an error (or refused the call): counts toward the extension's attempts. */
  | { kind: 'failed'; error: string; retry: boolean }
  /** Never reached: does not count toward its attempts (see the worker). */
  | { kind: 'unanswered'; error: string };

/**
 * The gRPC code that says the extension was not reached: UNAVAILABLE (not listening, restarting,
 * the connection dropped). Any other code counts as the extension's answer, DEADLINE_EXCEEDED
 * included (retriable): a handler that ran out of time may have done the work, so it is not
 * called again and again for a day.
 */
const UNANSWERED = new Set<GrpcStatus>([GrpcStatus.UNAVAILABLE]);

/** How much of an extension's error is kept on the row and logged. */
const MAX_ERROR_CHARS = 2000;

const clip = (s: string) => (s.length > MAX_ERROR_CHARS ? `${s.slice(0, MAX_ERROR_CHARS)}…` : s);

/**
 * Calls the extension's OnExtensionRequest with a due continuation: the continuation's id as the
 * idempotency key, its attempt number, the org with `jwt` (the registry's fresher one, when it
 * has one), its config, its action, and its state as `data`. An error whose `retriable` is unset
 * is retriable (lc-extension's IsRetriable), and so is an answer without a `response`: nothing
 * says it was handled.
 */
export async function callExtension(
  client: ExtensionClient | undefined,
  c: ClaimedContinuation,
  jwt: string,
  deadlineMs: number,
  now: Date,
): Promise<CallOutcome> {
  if (client === undefined) {
    // Not claimed unless configured; kept as retriable should that ever change under it.
    return { kind: 'failed', retry: true, error: `no handler for extension ${c.extension_name}` };
  }
  const deadline = new Date(now.getTime() + deadlineMs);
  try {
    const { response } = await client.onExtensionRequest(
      {
        request: {
          call: { extensionName: c.extension_name, idempotencyKey: c.id, deadline },
          org: { oid: c.oid, jwt, ident: c.ident },
          action: c.action,
          data: c.state,
          config: c.config,
          continuation: { id: c.id, attempt: c.attempts, dueAt: c.due_at },
        },
      },
      { deadlineMs },
    );
    if (response === undefined) {
      return { kind: 'failed', retry: true, error: 'the extension answered without a response' };
    }
    if (response.error === '') return { kind: 'answered', continuations: response.continuations };
    return { kind: 'failed', retry: response.retriable ?? true, error: clip(response.error) };
  } catch (err) {
    if (!isGrpcError(err)) return { kind: 'failed', retry: true, error: clip(String(err)) };
    const error = clip(`${GrpcStatus[err.code]}: ${err.details}`);
    if (UNANSWERED.has(err.code)) return { kind: 'unanswered', error };
    // An extension without OnExtensionRequest will not have it on the next attempt either.
    return { kind: 'failed', retry: err.code !== GrpcStatus.UNIMPLEMENTED, error };
  }
}
