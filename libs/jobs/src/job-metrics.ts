import { counter } from '@checkwire/metrics';

const deliveries = counter('checkwire.jobs.deliveries', {
  description:
    "Jobs whose changes went towards LimaCharlie, by step: leased (taken for a gateway's " +
    'answer) and confirmed (marked delivered once the answer was written); a lease never ' +
    'confirmed goes out again when it runs out',
  unit: '{job}',
});

const LEASED = Object.freeze({ 'checkwire.jobs.delivery.step': 'leased' });
const CONFIRMED = Object.freeze({ 'checkwire.jobs.delivery.step': 'confirmed' });

export function recordLeased(jobs: number): void {
  if (jobs > 0) deliveries.add(jobs, LEASED);
}

export function recordConfirmed(jobs: number): void {
  if (jobs > 0) deliveries.add(jobs, CONFIRMED);
}
