/**
 * The idempotency key of a round's score for a service: the runner and the scheduler (when it
 * gives up) both score with it, so a round never has two scores, however often it is retried.
 */
export function checkRequestId(serviceId: number, roundTime: Date): string {
  return `check:${serviceId}:${roundTime.toISOString()}`;
}
