import { describe, expect, it } from 'vitest';
import { NO_CHECK_SETTINGS } from './check-settings.js';
import { isNoCheckSettings, checkSettingsFromStored } from './stored.js';
import {
  checkSettingsFromWire,
  checkSettingsToWire,
  type WireServiceCheckSettings,
} from './wire.js';

const wire = (over: Partial<WireServiceCheckSettings> = {}): WireServiceCheckSettings => ({
  expect: [],
  reject: [],
  partial: false,
  ...over,
});
const refusal = (w: WireServiceCheckSettings) => {
  try {
    checkSettingsFromWire('check_settings', w);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('checkSettingsFromWire', () => {
  it('reads absent settings, and settings that set nothing, as none', () => {
    expect(checkSettingsFromWire('s', undefined)).toBe(NO_CHECK_SETTINGS);
    expect(isNoCheckSettings(checkSettingsFromWire('s', wire()))).toBe(true);
  });

  it('normalises what it accepts and reads back the same through the wire and the database', () => {
    const s = checkSettingsFromWire(
      's',
      wire({
        expect: [
          { rule: { $case: 'contains', value: 'Welcome' } },
          { rule: { $case: 'regex', value: 'team [0-9]+' } },
        ],
        reject: [{ rule: { $case: 'sha256', value: 'AB'.repeat(32) } }],
        partial: true,
        http: {
          status: [200, 200, 302],
          headers: [{ name: 'X-Team', rule: { rule: { $case: 'exact', value: '7' } } }],
          maxRedirects: 3,
          verifyTls: true,
          login: { url: '/login', usernameField: 'u', passwordField: 'p', fields: { next: '/' } },
        },
        dns: { recordType: 'mx' },
        sql: { query: 'SELECT count(*) FROM posts' },
      }),
    );
    expect(s.reject).toEqual([{ sha256: 'ab'.repeat(32) }]);
    expect(s.http.status).toEqual([200, 302]);
    expect(s.http.headers).toEqual([{ name: 'x-team', rule: { exact: '7' } }]);
    expect(s.dns.recordType).toBe('MX');
    expect(checkSettingsFromWire('s', checkSettingsToWire(s))).toEqual(s);
    expect(checkSettingsFromStored(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(isNoCheckSettings(s)).toBe(false);
  });

  it('refuses what no check could use, naming the field and the problem', () => {
    expect(refusal(wire({ expect: [{}] }))).toBe(
      'check_settings.expect[0]: must name one of contains, exact, regex or sha256',
    );
    expect(refusal(wire({ expect: [{ rule: { $case: 'contains', value: '' } }] }))).toBe(
      'check_settings.expect[0].contains: must not be empty',
    );
    expect(refusal(wire({ reject: [{ rule: { $case: 'regex', value: '(a)\\1' } }] }))).toMatch(
      /^check_settings\.reject\[0\]\.regex: is not a pattern RE2 accepts \(no backreferences or lookaround\): /,
    );
    expect(refusal(wire({ expect: [{ rule: { $case: 'regex', value: '(?=x)' } }] }))).toMatch(
      /^check_settings\.expect\[0\]\.regex: is not a pattern RE2 accepts/,
    );
    expect(
      refusal(wire({ expect: [{ rule: { $case: 'regex', value: '(?i)(?:a?){500}a{500}b' } }] })),
    ).toBe(
      'check_settings.expect[0].regex: is too large a pattern (1503 RE2 instructions, at most 300): use fewer or smaller counted repetitions',
    );
    expect(refusal(wire({ expect: [{ rule: { $case: 'sha256', value: 'abc' } }] }))).toBe(
      'check_settings.expect[0].sha256: must be 64 hex digits, got "abc"',
    );
    expect(
      refusal(wire({ expect: Array(33).fill({ rule: { $case: 'contains', value: 'x' } }) })),
    ).toBe('check_settings.expect: must hold at most 32 rules, got 33');
    expect(
      refusal(wire({ partial: true, expect: [{ rule: { $case: 'exact', value: 'x' } }] })),
    ).toBe('check_settings.partial: needs at least two expect rules to score a share of, got 1');
    const http = { status: [], headers: [], maxRedirects: 0, verifyTls: false };
    expect(refusal(wire({ http: { ...http, status: [99] } }))).toBe(
      'check_settings.http.status[0]: must be an HTTP status (100..599), got 99',
    );
    expect(refusal(wire({ http: { ...http, maxRedirects: 11 } }))).toBe(
      'check_settings.http.max_redirects: must be 0..10, got 11',
    );
    expect(
      refusal(wire({ http: { ...http, headers: [{ name: 'bad name', rule: undefined }] } })),
    ).toBe(
      'check_settings.http.headers[0].name: must be a header name (letters, digits, -…), got "bad name"',
    );
    const login = { url: 'ftp://x/', usernameField: 'u', passwordField: 'p', fields: {} };
    expect(refusal(wire({ http: { ...http, login } }))).toBe(
      'check_settings.http.login.url: must be an http(s) URL or a path starting with /, got "ftp://x/"',
    );
    expect(
      refusal(wire({ http: { ...http, login: { ...login, url: '/l', fields: { p: 'x' } } } })),
    ).toBe(
      'check_settings.http.login.fields: must not name the "p" field: it carries a credential',
    );
    for (const url of ['//login', '/\\evil.example/x']) {
      expect(refusal(wire({ http: { ...http, login: { ...login, url } } }))).toBe(
        `check_settings.http.login.url: must not start with // or hold a backslash (it would leave the service's host), got ${JSON.stringify(url)}`,
      );
    }
    const proto = checkSettingsFromWire(
      's',
      wire({
        http: {
          ...http,
          login: {
            ...login,
            url: '/l',
            fields: JSON.parse('{"__proto__": "x"}') as Record<string, string>,
          },
        },
      }),
    );
    expect(Object.entries(proto.http.login!.fields)).toEqual([['__proto__', 'x']]);
    expect(refusal(wire({ sql: { query: 'DELETE FROM posts' } }))).toBe(
      'check_settings.sql.query: must be a query (SELECT, WITH, VALUES or TABLE …), got "DELETE FROM posts"',
    );
    expect(checkSettingsFromWire('s', wire({ sql: { query: ' (select 1)' } })).sql.query).toBe(
      ' (select 1)',
    );
    expect(refusal(wire({ dns: { recordType: 'PTR' } }))).toBe(
      'check_settings.dns.record_type: must be one of A, AAAA, MX, TXT, CNAME, NS, SOA, got "PTR"',
    );
    expect(refusal(wire({ sql: { query: 'x'.repeat(4001) } }))).toBe(
      'check_settings.sql.query: must be at most 4000 characters, got 4001',
    );
  });
});
