import type { Attributes } from '@opentelemetry/api';
import { counter } from '@checkwire/metrics';

const continuations = counter('checkwire.scheduler.continuations', {
  description:
    "LC extensions' continuations this replica's workers handled, by outcome: delivered (the " +
    'extension answered without an error), retried (a retriable error or no answer: again after ' +
    'a back-off), gave_up (not retriable, out of attempts, unanswered past the budget, or its ' +
    'answer asked for continuations refused)',
  unit: '{continuation}',
});

export type ContinuationOutcome = 'delivered' | 'retried' | 'gave_up';

const SETS = new Map<ContinuationOutcome, Attributes>(
  (['delivered', 'retried', 'gave_up'] as const).map((o) => [
    o,
    Object.freeze({ 'checkwire.continuation.outcome': o }),
  ]),
);

export function recordContinuation(outcome: ContinuationOutcome): void {
  continuations.add(1, SETS.get(outcome));
}
