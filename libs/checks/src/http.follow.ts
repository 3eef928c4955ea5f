import type { CookieJar } from './http.cookies.js';
import { HttpFailure } from './http.errors.js';
import { sendRequest, type HttpAnswer, type HttpRequest } from './http.request.js';
import { serverText } from './server-reply.js';

/**
 * What the requests of one check share: its cookies, its redirect budget, its deadline, and the
 * secrets masked in what a server chose (the password, as it is and URL-encoded).
 */
export interface HttpSession {
  jar: CookieJar;
  secrets: readonly string[];
  /** 0: a 3xx is the final answer. */
  maxRedirects: number;
  /** Date.now() by which the whole check (every hop, every body) must be done. */
  deadline: number;
}

/** The redirects followed: any other 3xx (304, 300…) is an answer like a 2xx. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface Followed {
  answer: HttpAnswer;
  redirects: number;
}

/**
 * Sends `first` and follows its redirects, at most `maxRedirects`, http ↔ https and to other
 * hosts alike; each hop is a request of its own (bounded headers, a connection of its own closed
 * before the next, the session's cookies, the time left). Resolves with the last answer, its body
 * unread. One more redirect than allowed fails as `content`.
 */
export async function follow(first: HttpRequest, session: HttpSession): Promise<Followed> {
  let request = first;
  for (let redirects = 0; ; redirects++) {
    const cookie = session.jar.header(request.url);
    const headers = { ...request.headers, ...(cookie === undefined ? {} : { cookie }) };
    const answer = await sendRequest({ ...request, headers }, timeLeft(session));
    session.jar.store(answer.url, answer.headers.get('set-cookie'));
    const location = answer.headers.get('location')?.[0];
    if (session.maxRedirects <= 0 || !REDIRECTS.has(answer.status) || location === undefined)
      return { answer, redirects };
    answer.close();
    if (redirects >= session.maxRedirects)
      throw new HttpFailure(
        'content',
        `${first.shown}: more than ${session.maxRedirects} redirects`,
      );
    request = redirected(request, answer.status, location, session.secrets);
  }
}

/** Milliseconds until the session's deadline (at least 1: the time limit then fires at once). */
export const timeLeft = (session: HttpSession): number =>
  Math.max(1, session.deadline - Date.now());

/**
 * The request a redirect asks for. 303, and 301/302 after a POST (as browsers do), become a GET
 * without a body; 307 and 308 repeat the request, but a body (a login's credentials) is only ever
 * sent again to the same origin: scheme, host and port (not over plain HTTP after HTTPS, nor to
 * another port of the host, which may be another program's).
 */
function redirected(
  request: HttpRequest,
  status: number,
  location: string,
  secrets: readonly string[],
): HttpRequest {
  const url = URL.canParse(location, request.url.href) ? new URL(location, request.url) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new HttpFailure(
      'content',
      `${request.shown}: redirects to ${JSON.stringify(urlText(location, secrets))}, not an http(s) URL`,
    );
  const shown = urlText(url.href, secrets);
  if (status === 303 || ((status === 301 || status === 302) && request.method === 'POST'))
    return { url, shown, method: 'GET', headers: {}, verifyTls: request.verifyTls };
  if (request.body !== undefined && url.origin !== request.url.origin)
    throw new HttpFailure(
      'content',
      `${request.shown}: a ${status} redirect would send the form to another origin (${urlText(url.origin, secrets)})`,
    );
  return { ...request, url, shown };
}

/**
 * A URL a server chose, for a message: as serverText, with the check's secrets masked in the URL
 * as it is and then percent-decoded, since the URL parser encodes an echoed password its own way
 * (`a b{` in a query becomes `a%20b{`, none of the encoded forms in `secrets`). When decoding
 * shows one, the decoded URL is quoted, masked.
 */
function urlText(text: string, secrets: readonly string[]): string {
  const mask = (t: string) =>
    secrets.reduce(
      (masked, secret) => (secret === '' ? masked : masked.split(secret).join('***')),
      t,
    );
  const masked = mask(text);
  const decoded = masked.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) =>
    Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'),
  );
  const decodedMasked = mask(decoded);
  return serverText(decodedMasked === decoded ? masked : decodedMasked);
}
