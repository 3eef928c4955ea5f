import { BerReader, integer, octets, tlv, TAG } from './ber.js';
import { down, fromNetworkError, up, withTimeout, type Check, type CheckResult } from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';
import { BerConnection, tlsFailure } from './ldap.connection.js';
import { encodeFilter, FilterError } from './ldap.filter.js';
import { MalformedReplyError, serverText } from './server-reply.js';

// LDAPv3 (RFC 4511) simple bind and one search, written by hand on src/ber.ts.

const ENUMERATED = 0x0a;
const OP = {
  bindResponse: 0x61,
  searchEntry: 0x64,
  searchDone: 0x65,
  searchRef: 0x73,
  extended: 0x78,
};

/** Result codes a check names (RFC 4511 Appendix A); credentials for the authentication ones. */
const RESULTS = new Map<number, string>([
  [1, 'operationsError'],
  [2, 'protocolError'],
  [3, 'timeLimitExceeded'],
  [7, 'authMethodNotSupported'],
  [8, 'strongerAuthRequired'],
  [13, 'confidentialityRequired'],
  [32, 'noSuchObject'],
  [34, 'invalidDNSyntax'],
  [48, 'inappropriateAuthentication'],
  [49, 'invalidCredentials'],
  [50, 'insufficientAccessRights'],
  [51, 'busy'],
  [52, 'unavailable'],
  [53, 'unwillingToPerform'],
]);
const CREDENTIALS = new Set([8, 48, 49, 50]);

/** Entries asked for at most: the check needs one, and a few show the text is there. */
export const SEARCH_SIZE_LIMIT = 10;

const message = (id: number, op: Buffer) => tlv(TAG.SEQUENCE, integer(id), op);

function bindRequest(dn: string, password: string): Buffer {
  return message(1, tlv(0x60, integer(3), octets(dn), tlv(0x80, Buffer.from(password))));
}

function searchRequest(base: string, filter: Buffer, timeLimitS: number): Buffer {
  const enumerated = (n: number) => tlv(ENUMERATED, Buffer.from([n]));
  return message(
    2,
    tlv(
      0x63,
      octets(base),
      enumerated(2), // wholeSubtree
      enumerated(0), // neverDerefAliases
      integer(SEARCH_SIZE_LIMIT),
      integer(timeLimitS),
      tlv(0x01, Buffer.from([0])), // typesOnly FALSE
      filter,
      tlv(TAG.SEQUENCE), // all user attributes
    ),
  );
}

/** One LDAPMessage: its id, protocolOp tag and a reader over the op's content. */
function parseMessage(bytes: Buffer): { id: number; op: number; body: BerReader } {
  const outer = new BerReader(new BerReader(bytes).next(TAG.SEQUENCE).content);
  const id = outer.integer();
  const op = outer.next();
  return { id, op: op.tag, body: new BerReader(op.content) };
}

/** An LDAPResult's code and diagnostic message. */
function parseResult(body: BerReader): { code: number; diagnostic: string } {
  const code = body.next(ENUMERATED).content;
  if (code.length !== 1) throw new MalformedReplyError('LDAP: bad resultCode');
  body.next(TAG.OCTET_STRING); // matchedDN
  return { code: code[0]!, diagnostic: body.next(TAG.OCTET_STRING).content.toString('utf8') };
}

/** The attribute values of a SearchResultEntry. */
function entryValues(body: BerReader): Buffer[] {
  body.next(TAG.OCTET_STRING); // objectName
  const attributes = new BerReader(body.next(TAG.SEQUENCE).content);
  const values: Buffer[] = [];
  while (!attributes.done) {
    const attribute = new BerReader(attributes.next(TAG.SEQUENCE).content);
    attribute.next(TAG.OCTET_STRING); // type
    const set = new BerReader(attribute.next(0x31).content);
    while (!set.done) values.push(set.next(TAG.OCTET_STRING).content);
  }
  return values;
}

const resultName = (code: number) => `${RESULTS.get(code) ?? 'resultCode'} (${code})`;

/** The next response to request `id`; a Notice of Disconnection ends the check as content. */
async function response(c: BerConnection, id: number) {
  const m = parseMessage(await c.next());
  if (m.id === 0 && m.op === OP.extended) {
    const { code, diagnostic } = parseResult(m.body);
    throw new MalformedReplyError(
      `the server ended the session: ${resultName(code)} ${diagnostic}`,
    );
  }
  if (m.id !== id) throw new MalformedReplyError(`LDAP: a reply to message ${m.id}, not ${id}`);
  return m;
}

function ldapCheckFor(protocol: 'ldap' | 'ldaps'): Check {
  return async (t, { timeoutMs }): Promise<CheckResult> => {
    const what = `${protocol} ${t.host}`;
    const secrets = [t.password];
    const at = t.info.indexOf('?');
    const base = at < 0 ? t.info : t.info.slice(0, at);
    const filterText =
      at < 0 || t.info.slice(at + 1) === '' ? '(objectClass=*)' : t.info.slice(at + 1);
    let filter: Buffer;
    try {
      filter = encodeFilter(filterText);
    } catch (err) {
      if (err instanceof FilterError) return down('other', `${what}: bad filter: ${err.message}`);
      throw err;
    }
    // No password: an anonymous bind (never an unauthenticated one: a DN without a password).
    const dn = t.password === '' ? '' : t.username;
    const who = dn === '' ? 'anonymous' : dn;
    const c = BerConnection.connect(
      t.host,
      t.port || DEFAULT_PORTS[protocol],
      protocol === 'ldaps',
    );
    const work = async (): Promise<CheckResult> => {
      await c.ready;
      c.write(bindRequest(dn, t.password));
      const bind = await response(c, 1);
      if (bind.op !== OP.bindResponse) throw new MalformedReplyError('LDAP: no BindResponse');
      const bound = parseResult(bind.body);
      if (bound.code !== 0) {
        const kind = CREDENTIALS.has(bound.code) ? 'credentials' : 'content';
        const why = serverText(bound.diagnostic, secrets);
        return down(
          kind,
          `${what}: bind as ${who} refused: ${resultName(bound.code)}${why === '' ? '' : ` ${why}`}`,
        );
      }
      c.write(searchRequest(base, filter, Math.max(1, Math.ceil(timeoutMs / 1000))));
      const values: Buffer[] = [];
      let entries = 0;
      for (;;) {
        const m = await response(c, 2);
        if (m.op === OP.searchEntry) {
          entries++;
          values.push(...entryValues(m.body));
        } else if (m.op === OP.searchDone) {
          const done = parseResult(m.body);
          // sizeLimitExceeded (4) still returned entries.
          if (done.code !== 0 && !(done.code === 4 && entries > 0)) {
            const kind = CREDENTIALS.has(done.code) ? 'credentials' : 'content';
            return down(kind, `${what}: search of ${base} refused: ${resultName(done.code)}`);
          }
          break;
        } else if (m.op !== OP.searchRef) {
          throw new MalformedReplyError(`LDAP: operation 0x${m.op.toString(16)} in a search`);
        }
      }
      const subject = `${base} ${filterText}`;
      if (entries === 0) return down('content', `${what}: no entry under ${subject}`);
      if (t.expect !== '' && !values.some((v) => v.includes(t.expect))) {
        return down(
          'content',
          `${what}: no entry under ${subject} holds the expected text`,
          `expected: ${t.expect}`,
        );
      }
      c.write(message(3, tlv(0x42))); // unbind
      const found = `${entries} ${entries === 1 ? 'entry' : 'entries'}`;
      return up(
        `${what}: ${found} under ${subject}${t.expect === '' ? '' : ' with the expected text'}`,
        values.map((v) => v.toString('utf8')).join('\n'),
      );
    };
    try {
      return await withTimeout(work(), timeoutMs);
    } catch (err) {
      return tlsFailure(err, what) ?? fromNetworkError(err, what);
    } finally {
      c.close();
    }
  };
}

/** LDAP: simple bind as `username` (a DN) with `password`, or anonymous; search `info`. */
export const ldapCheck = ldapCheckFor('ldap');
/** LDAPS: as ldap, over TLS from the start (the certificate is not verified). */
export const ldapsCheck = ldapCheckFor('ldaps');
