import type { Attributes } from '@opentelemetry/api';
import { counter } from '@checkwire/metrics';

const ticks = counter('checkwire.scheduler.ticks', {
  description:
    "Periodic LC callbacks (ticks) this replica's workers handled, by etype and outcome: " +
    'delivered (the handler answered, or does not implement the cadence), retried (again later, ' +
    'after a back-off), dropped (out of tries, or no handler for it)',
  unit: '{tick}',
});
const queued = counter('checkwire.scheduler.ticks.queued', {
  description: 'Periodic LC callbacks this replica queued when it fired a cadence, by etype',
  unit: '{tick}',
});

export type TickOutcome = 'delivered' | 'retried' | 'dropped';

/** Attribute sets by etype and outcome: the scheduler's own 18 etypes, made once each. */
const sets = new Map<string, Attributes>();

function attributes(etype: string, outcome?: TickOutcome): Attributes {
  const key = `${etype}\u0000${outcome ?? ''}`;
  let set = sets.get(key);
  if (set === undefined) {
    set = Object.freeze({
      'checkwire.lc.etype': etype,
      ...(outcome === undefined ? {} : { 'checkwire.tick.outcome': outcome }),
    });
    sets.set(key, set);
  }
  return set;
}

export function recordTick(etype: string, outcome: TickOutcome): void {
  ticks.add(1, attributes(etype, outcome));
}

export function recordTicksQueued(etype: string, count: number): void {
  if (count > 0) queued.add(count, attributes(etype));
}
