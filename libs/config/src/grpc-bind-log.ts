/** grpc-js's `setLogger`, passed in: only edge code (apps, libs/grpc) imports grpc-js. */
export type SetGrpcLogger = (logger: Partial<Console>) => void;

const BIND_FAILED = /^No address added out of total \d+ resolved$/;

/**
 * A gRPC server that cannot bind makes grpc-js log `E No address added out of total 1 resolved`
 * on stderr by itself, then throw the same news with its reason (EADDRINUSE…), which
 * explainStartFailure turns into the start's one line. This drops that log line; grpc-js's other
 * messages are written as grpc-js writes them (`E `, `I `, `D ` + message, on stderr).
 */
export function quietGrpcBindFailures(setLogger: SetGrpcLogger): void {
  const writer =
    (prefix: string) =>
    (message?: unknown, ...rest: unknown[]) =>
      console.error(`${prefix} ${String(message)}`, ...rest);
  const error = writer('E');
  setLogger({
    error: (message?: unknown, ...rest: unknown[]) => {
      if (typeof message !== 'string' || !BIND_FAILED.test(message)) error(message, ...rest);
    },
    info: writer('I'),
    debug: writer('D'),
  });
}
