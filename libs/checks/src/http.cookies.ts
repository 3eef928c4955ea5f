/**
 * The cookies of one HTTP check (a form login's session, a cookie set before a redirect): a
 * small jar of name=value pairs per host, kept only for the check's own requests. Loosely RFC
 * 6265: Path is honoured as a prefix, Domain is ignored (a cookie goes back to the host that set
 * it, never to a sibling), Expires is ignored (the jar lives one check), Secure is ignored (a
 * checker may follow https → http on the same host), and Max-Age ≤ 0 deletes (how a server
 * clears a session).
 */

/** RFC 6265 §6.1: a user agent keeps at least 50 cookies per domain of at least 4096 bytes each. */
export const MAX_COOKIES = 50;
export const MAX_COOKIE_BYTES = 4096;

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** A name is a token; a value printable ASCII without `;` (anything else is dropped, not sent). */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\x20-\x3a\x3c-\x7e]*$/;

export class CookieJar {
  /** By host name, lower case: a Map (host names are outside input). */
  private readonly byHost = new Map<string, Cookie[]>();
  private count = 0;

  /** Keeps the cookies an answer from `url` set; drops malformed, oversized and surplus ones. */
  store(url: URL, setCookie: readonly string[] | undefined): void {
    for (const line of setCookie ?? []) this.storeOne(url, line);
  }

  /** The Cookie header for a request to `url`, or undefined when no cookie applies. */
  header(url: URL): string | undefined {
    const cookies = (this.byHost.get(url.hostname.toLowerCase()) ?? []).filter((c) =>
      url.pathname.startsWith(c.path),
    );
    // Longer paths first (RFC 6265 §5.4), then in the order they were set.
    cookies.sort((a, b) => b.path.length - a.path.length);
    return cookies.length === 0 ? undefined : cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  private storeOne(url: URL, line: string): void {
    if (Buffer.byteLength(line) > MAX_COOKIE_BYTES) return;
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (!NAME.test(name) || !VALUE.test(value)) return;
    let path = defaultPath(url);
    let expired = false;
    for (const attribute of attributes) {
      const [key = '', ...rest] = attribute.split('=');
      const v = rest.join('=').trim();
      const k = key.trim().toLowerCase();
      if (k === 'path' && v.startsWith('/')) path = v;
      if (k === 'max-age' && /^-?\d+$/.test(v) && Number(v) <= 0) expired = true;
    }
    const host = url.hostname.toLowerCase();
    const cookies = this.byHost.get(host) ?? [];
    const same = cookies.findIndex((c) => c.name === name && c.path === path);
    if (same >= 0) {
      cookies.splice(same, 1);
      this.count--;
    }
    if (expired || this.count >= MAX_COOKIES) return;
    cookies.push({ name, value, path });
    this.count++;
    this.byHost.set(host, cookies);
  }
}

/** RFC 6265 §5.1.4: the request path up to its last `/` (`/` for `/login`, `/app` for `/app/x`). */
function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/');
  return last <= 0 ? '/' : url.pathname.slice(0, last);
}
