import type { Attributes } from '@opentelemetry/api';
import { HANDLER_ETYPES, NOT_IMPLEMENTED, type LcResponseBody } from '@checkwire/lc-wire';
import { counter, histogram, metricsRecording, SECONDS_BUCKETS_SLOW } from '@checkwire/metrics';

const callbacks = histogram('checkwire.lc.callback.duration', {
  description:
    'Verified LimaCharlie callbacks, by etype and answer (success, retry, failure, ' +
    'not_implemented; error: no answer, HTTP 500), and how long each took to answer',
  unit: 's',
  advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS_SLOW] },
});
const refusals = counter('checkwire.lc.refusals', {
  description:
    'Requests refused before any handler saw them, by HTTP status (401 unsigned or wrongly ' +
    'signed, 404, 405, 408 too slow, 413 too large, 503 over the body budget…)',
  unit: '{request}',
});

export type CallbackAnswerName = 'success' | 'retry' | 'failure' | 'not_implemented' | 'error';

/** How an answer reads to LimaCharlie. */
export function answerName(body: LcResponseBody): CallbackAnswerName {
  if (body === NOT_IMPLEMENTED) return 'not_implemented';
  if (body.success) return 'success';
  return body.retry === true ? 'retry' : 'failure';
}

/**
 * The etype as a label: one LimaCharlie sends handlers, health or get_resource; anything else
 * (a signed body may name any etype) is `_OTHER`, so the label keeps few values.
 */
function etypeLabel(etype: string): string {
  return Object.hasOwn(HANDLER_ETYPES, etype) || etype === 'health' || etype === 'get_resource'
    ? etype
    : '_OTHER';
}

const sets = new Map<string, Attributes>();

function attributes(etype: string, answer: CallbackAnswerName): Attributes {
  const label = etypeLabel(etype);
  const key = `${label}\u0000${answer}`;
  let set = sets.get(key);
  if (set === undefined) {
    set = Object.freeze({ 'checkwire.lc.etype': label, 'checkwire.lc.answer': answer });
    sets.set(key, set);
  }
  return set;
}

/** When a callback's processing began, or -1 while no metrics are kept. */
export function callbackStarted(): number {
  return metricsRecording() ? performance.now() : -1;
}

export function recordCallback(etype: string, answer: CallbackAnswerName, started: number): void {
  if (started < 0) return;
  callbacks.record((performance.now() - started) / 1000, attributes(etype, answer));
}

const refusalSets = new Map<number, Attributes>();

export function recordRefusal(status: number): void {
  let set = refusalSets.get(status);
  if (set === undefined) {
    set = Object.freeze({ 'http.response.status_code': status });
    refusalSets.set(status, set);
  }
  refusals.add(1, set);
}
