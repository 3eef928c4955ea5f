import type { Attributes, ObservableResult } from '@opentelemetry/api';
import { checkFor, CHECKS, type CheckResult } from '@checkwire/checks';
import { counter, histogram, observableGauge, SECONDS_BUCKETS_SLOW } from '@checkwire/metrics';

const checks = counter('checkwire.checks', {
  description:
    'Checks this runner finished, by outcome (up, down, skipped: its service was down; failed: ' +
    'Checkwire could not be reached, the check goes back to the queue), error kind and check kind',
  unit: '{check}',
});
const duration = histogram('checkwire.check.duration', {
  description: 'How long probing a service took, by check kind and outcome (up or down)',
  unit: 's',
  advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS_SLOW] },
});
const active = observableGauge('checkwire.runner.checks.active', {
  description: 'Checks this runner holds now (claimed and not yet finished or released)',
  unit: '{check}',
});
const limit = observableGauge('checkwire.runner.checks.limit', {
  description: 'The most checks this runner holds at once (RUNNER_CONCURRENCY)',
  unit: '{check}',
});

/**
 * The built-in check a service gets (`tcp`, `http`…, as `runCheck` picks it: its protocol, else
 * its subtype), or `none`: a label of few values whatever people type into a service.
 */
export function checkKind(protocol: string, subtype: string): string {
  const check = checkFor(protocol, subtype);
  if (check === undefined) return 'none';
  return CHECKS.get(protocol.toLowerCase()) === check
    ? protocol.toLowerCase()
    : subtype.toLowerCase();
}

export type CheckOutcomeName = 'up' | 'down' | 'skipped' | 'failed';

/** Attribute sets, made once per combination (a handful): recording allocates none. */
const sets = new Map<string, Attributes>();

function attributes(outcome: CheckOutcomeName, kind?: string, errorType?: string): Attributes {
  const key = `${outcome}\u0000${kind ?? ''}\u0000${errorType ?? ''}`;
  let set = sets.get(key);
  if (set === undefined) {
    set = Object.freeze({
      'checkwire.check.outcome': outcome,
      ...(kind === undefined ? {} : { 'checkwire.check.kind': kind }),
      ...(errorType === undefined ? {} : { 'error.type': errorType }),
    });
    sets.set(key, set);
  }
  return set;
}

/** A probed check that was scored: counted, and its probe's duration recorded. */
export function recordScored(kind: string, result: CheckResult, seconds: number): void {
  const outcome = result.up ? 'up' : 'down';
  checks.add(1, attributes(outcome, kind, result.up ? undefined : result.kind));
  duration.record(seconds, attributes(outcome, kind));
}

/** A check not probed (its service was down) or not finished (back to the queue). */
export function recordUnscored(outcome: 'skipped' | 'failed'): void {
  checks.add(1, attributes(outcome));
}

/** Reports `held()` and `concurrency` at each scrape; returns the function that stops it. */
export function observeRunner(held: () => number, concurrency: number): () => void {
  const observeActive = (r: ObservableResult) => r.observe(held());
  const observeLimit = (r: ObservableResult) => r.observe(concurrency);
  active.addCallback(observeActive);
  limit.addCallback(observeLimit);
  return () => {
    active.removeCallback(observeActive);
    limit.removeCallback(observeLimit);
  };
}
