import { hasContentRules } from '@checkwire/check-settings';
import { searchBody } from './body-search.js';
import { readBody } from './body-read.js';
import { up, withTimeout, type Check, type CheckResult, type CheckTarget } from './check.js';
import { CookieJar } from './http.cookies.js';
import { HttpFailure, httpResult } from './http.errors.js';
import { follow, timeLeft, type HttpSession } from './http.follow.js';
import { formLogin } from './http.login.js';
import type { HttpAnswer } from './http.request.js';
import { judgeHead } from './http.verdict.js';
import { MAX_HTTP_BODY_BYTES } from './limits.js';

function targetUrl(scheme: 'http' | 'https', host: string, port: number, url: string): URL {
  if (/^https?:\/\//i.test(url)) {
    const u = new URL(url);
    if (port !== 0) u.port = String(port);
    return u;
  }
  return new URL(`${scheme}://${host}${port === 0 ? '' : `:${port}`}/`);
}

/**
 * GET the service's url and judge the final answer: its status (2xx/3xx, or the settings'
 * list), its headers (the settings' rules), and its body (first MAX_HTTP_BODY_BYTES), which must
 * contain `expect` when set. With the settings' `login`, a form login first (its cookies go with
 * the GET); with `maxRedirects`, redirects are followed. Each request has a connection of its
 * own, closed at the end. HTTPS verifies certificates only with `verifyTls`: competition services
 * run self-signed ones.
 */
export function httpCheck(scheme: 'http' | 'https'): Check {
  return async (t, { timeoutMs }) => {
    const url = targetUrl(scheme, t.host, t.port, t.url);
    const http = t.settings.http;
    const session: HttpSession = {
      jar: new CookieJar(),
      maxRedirects: http.maxRedirects,
      deadline: Date.now() + timeoutMs,
      secrets: secretForms(t.password),
    };
    let answer: HttpAnswer | undefined;
    try {
      const login =
        http.login === undefined
          ? undefined
          : await formLogin(http.login, t, url, http.verifyTls, session);
      const followed = await follow(
        { url, shown: url.href, method: 'GET', headers: {}, verifyTls: http.verifyTls },
        session,
      );
      answer = followed.answer;
      await judgeHead(answer, http, session.secrets);
      const said = answered(answer, followed.redirects, url, login);
      return await judgeBody(answer, t, said, session);
    } catch (err) {
      return httpResult(err, answer?.shown ?? url.href);
    } finally {
      answer?.close();
    }
  };
}

/** `<url> answered HTTP 200`, and how: `(after 2 redirects from <url>, logged in at <url>)`. */
function answered(answer: HttpAnswer, redirects: number, from: URL, login?: URL): string {
  const how = [
    redirects === 0
      ? ''
      : `after ${redirects} redirect${redirects === 1 ? '' : 's'} from ${from.href}`,
    login === undefined ? '' : `logged in at ${login.href}`,
  ].filter((s) => s !== '');
  return `${answer.shown} answered HTTP ${answer.status}${how.length === 0 ? '' : ` (${how.join(', ')})`}`;
}

/** The password as it is, percent-encoded and form-encoded: how a server could echo it. */
function secretForms(password: string): string[] {
  if (password === '') return [];
  const formEncoded = new URLSearchParams({ p: password }).toString().slice(2);
  return [...new Set([password, encodeURIComponent(password), formEncoded])];
}

/**
 * The final answer's body. With content rules in the settings it is read whole, up to
 * MAX_HTTP_BODY_BYTES, and becomes the result's `content` (the rules are applied by the caller);
 * without, it is read only as far as `expect` needs (not at all when no text is expected), so a
 * check without settings reads what it always did.
 */
async function judgeBody(
  answer: HttpAnswer,
  t: CheckTarget,
  said: string,
  session: HttpSession,
): Promise<CheckResult> {
  const href = answer.shown;
  const needle = Buffer.from(t.expect, 'utf8');
  const missing = (cut: boolean) =>
    new HttpFailure(
      'content',
      `${href} does not contain the expected text${cut ? ` in its first ${MAX_HTTP_BODY_BYTES} bytes` : ''}`,
      `expected: ${t.expect}`,
    );
  // The body may have failed before it was looked at (a malformed chunk in the head's packet):
  // a stream destroyed then emits nothing more, so its error is taken from it here.
  const failed = answer.body.errored;
  if (failed !== null && (t.expect !== '' || hasContentRules(t.settings))) throw failed;
  if (hasContentRules(t.settings)) {
    const body = await withTimeout(readBody(answer.body, MAX_HTTP_BODY_BYTES), timeLeft(session));
    if (t.expect !== '' && !body.bytes.includes(needle)) throw missing(body.cut);
    return up(body.cut ? `${said}, its first ${MAX_HTTP_BODY_BYTES} bytes read` : said, body.bytes);
  }
  if (t.expect !== '') {
    const search = await withTimeout(
      searchBody(answer.body, needle, MAX_HTTP_BODY_BYTES),
      timeLeft(session),
    );
    if (search !== 'found') throw missing(search === 'limit');
  }
  return up(said);
}
