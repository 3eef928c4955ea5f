import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * A refusal with its HTTP status, answered by the server's one edge: `{error: message}`, or `body`
 * when the protocol spoken on that route wants its own shape (lc-extension's on `/ext/…`).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: OutgoingHttpHeaders = {},
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** 401 for a missing or bad signature in `header`; a refused sender gets no keep-alive to park. */
export const unsigned = (header: string) =>
  new HttpError(401, `missing or bad ${header} signature`, { connection: 'close' });

/** 503: the request's next bytes would pass a bytes-in-flight budget. */
export const overBudget = () =>
  new HttpError(503, 'too many body bytes in flight, retry later', { 'retry-after': '1' });

export function send(
  res: ServerResponse,
  statusCode: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
  /** Called once the whole answer has been handed to the connection. */
  afterSent?: () => void,
  /** Called instead when the connection broke before that. */
  notSent?: () => void,
): void {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  if (afterSent !== undefined) res.once('finish', afterSent);
  if (notSent !== undefined) res.once('close', () => res.writableFinished || notSent());
  res.end(text);
}
