import { RandomIdGenerator, type IdGenerator } from '@opentelemetry/sdk-trace-base';

interface ChosenIds {
  traceId: string;
  spanId: string;
}

let chosen: ChosenIds | undefined;

/**
 * Random ids, except inside `withChosenIds`: a check span is emitted at "done" (perhaps by
 * another replica, perhaps after a restart) with the ids it was given at "in progress", so the
 * children recorded meanwhile already point at it. The SDK asks for ids synchronously inside
 * `startSpan`, so a module-level slot is enough.
 */
export class CheckwireIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();

  generateTraceId(): string {
    return chosen?.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return chosen?.spanId ?? this.random.generateSpanId();
  }
}

/** Runs `start` (which must start exactly one span, synchronously) with these ids. */
export function withChosenIds<T>(ids: ChosenIds, start: () => T): T {
  chosen = ids;
  try {
    return start();
  } finally {
    chosen = undefined;
  }
}

const random = new RandomIdGenerator();

export function randomTraceId(): string {
  return random.generateTraceId();
}

export function randomSpanId(): string {
  return random.generateSpanId();
}
