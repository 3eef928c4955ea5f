import type { Attributes } from '@opentelemetry/api';
import type { ExtensionKind } from '@checkwire/lc-wire';
import { histogram, metricsRecording, SECONDS_BUCKETS_SLOW } from '@checkwire/metrics';

const messages = histogram('checkwire.lc.extension.duration', {
  description:
    'Verified LimaCharlie extension messages, by kind and answer (success: HTTP 200, retriable: ' +
    '500, refused: 400; error: no answer), and how long each took to answer',
  unit: 's',
  advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS_SLOW] },
});

export type ExtensionAnswerName = 'success' | 'retriable' | 'refused' | 'error';

/** How an HTTP status reads as an answer label. */
export function extensionAnswerName(status: number): ExtensionAnswerName {
  if (status === 200) return 'success';
  return status === 400 ? 'refused' : 'retriable';
}

const sets = new Map<string, Attributes>();

/**
 * The labels of one message. `kind` is one of the six envelope kinds, or `_INVALID` for a
 * verified body that is no envelope (so the label keeps few values).
 */
function attributes(kind: ExtensionKind | '_INVALID', answer: ExtensionAnswerName): Attributes {
  const key = `${kind}\u0000${answer}`;
  let set = sets.get(key);
  if (set === undefined) {
    set = Object.freeze({ 'checkwire.lc.extension.kind': kind, 'checkwire.lc.answer': answer });
    sets.set(key, set);
  }
  return set;
}

/** When a message's processing began, or -1 while no metrics are kept. */
export function extensionStarted(): number {
  return metricsRecording() ? performance.now() : -1;
}

export function recordExtensionMessage(
  kind: ExtensionKind | '_INVALID',
  answer: ExtensionAnswerName,
  started: number,
): void {
  if (started < 0) return;
  messages.record((performance.now() - started) / 1000, attributes(kind, answer));
}
