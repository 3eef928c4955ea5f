import type { FormLogin } from '@checkwire/check-settings';
import type { CheckTarget } from './check.js';
import { HttpFailure } from './http.errors.js';
import { follow, type HttpSession } from './http.follow.js';

/**
 * Logs in through an HTML form: POSTs the service's username and password (and the form's other
 * fields) as application/x-www-form-urlencoded to `login.url`, follows its redirects within the
 * session's budget (302/303 become a GET), and leaves the cookies it set in the session's jar.
 * A login answered 401 or 403 is `credentials`, any other answer but 2xx/3xx `content`; whatever
 * the server says, only the login's URL and status are quoted (never the form, which holds the
 * password, nor a cookie). Resolves with the login's URL, for the result's message.
 */
export async function formLogin(
  login: FormLogin,
  t: CheckTarget,
  serviceUrl: URL,
  verifyTls: boolean,
  session: HttpSession,
): Promise<URL> {
  const url = loginUrl(login.url, serviceUrl);
  const form = new URLSearchParams();
  form.append(login.usernameField, t.username);
  form.append(login.passwordField, t.password);
  for (const [name, value] of Object.entries(login.fields))
    if (name !== login.usernameField && name !== login.passwordField) form.append(name, value);
  const body = Buffer.from(form.toString(), 'utf8');
  const { answer } = await follow(
    {
      url,
      shown: url.href,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': body.length,
      },
      body,
      verifyTls,
    },
    session,
  );
  // The login's page is not judged: only its status and cookies count.
  answer.close();
  const status = answer.status;
  if (status === 401 || status === 403)
    throw new HttpFailure('credentials', `${answer.shown}: login refused (HTTP ${status})`);
  if (status < 200 || status >= 400)
    throw new HttpFailure('content', `${answer.shown}: login answered HTTP ${status}`);
  return url;
}

/**
 * The form's URL: absolute http(s) (`http://` or `https://` as it is written), or a path on the
 * service's URL, which must stay on its origin: `//login` or `/\evil.example/x` resolve to other
 * hosts (and so would a scheme without its slashes, `https:evil.example`), where the form, the
 * password in it, has no business going.
 */
function loginUrl(url: string, serviceUrl: URL): URL {
  const resolved = URL.canParse(url, serviceUrl.href) ? new URL(url, serviceUrl) : undefined;
  if (resolved === undefined || (resolved.protocol !== 'http:' && resolved.protocol !== 'https:'))
    throw new HttpFailure(
      'other',
      `login url ${JSON.stringify(url)} is not an http(s) URL or a path`,
    );
  if (!/^https?:\/\//i.test(url) && resolved.origin !== serviceUrl.origin)
    throw new HttpFailure(
      'other',
      `login url ${JSON.stringify(url)} is a path that leaves the service's origin (${serviceUrl.origin}) for ${resolved.origin}`,
    );
  return resolved;
}
