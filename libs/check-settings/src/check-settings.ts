/**
 * How a built-in check judges a service beyond "it answers and I can log in": a service's
 * `check` settings (proto `CheckSettings`), validated by `checkSettings()` before they are stored,
 * so a check only ever sees settings in this shape.
 */

/** One test of a check's content (a body, a file, a command's output, a query's value…). */
export type ContentRule =
  | { contains: string }
  | { exact: string }
  /** RE2 syntax (linear time: no backreferences or lookaround), run by re2js. */
  | { regex: string }
  /** 64 hex digits, lower case once validated: the SHA-256 of the content's bytes. */
  | { sha256: string };

export interface HeaderRule {
  /** A header name, lower case once validated. */
  name: string;
  rule: ContentRule;
}

/** Log in through an HTML form before the check's request (credentials from the service). */
export interface FormLogin {
  /** Where the form posts to: an absolute http(s) URL, or a path on the service's url. */
  url: string;
  usernameField: string;
  passwordField: string;
  /** Further fields posted as they are (a CSRF-free form's hidden inputs). */
  fields: Record<string, string>;
}

export interface HttpSettings {
  /** Accepted final statuses; empty: any 2xx or 3xx. */
  status: number[];
  /** Every rule must hold for its header's value (a missing header fails). */
  headers: HeaderRule[];
  /** Redirects followed (0: none; a 3xx is then the final answer). */
  maxRedirects: number;
  /** Verify the server's certificate against the system's CAs and the host name. */
  verifyTls: boolean;
  login: FormLogin | undefined;
}

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SOA'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export interface DnsSettings {
  /** The record type asked for; default A. */
  recordType: DnsRecordType;
}

export interface SqlSettings {
  /** One read-only statement; its first row's first column is the content. Empty: SELECT 1. */
  query: string;
}

export interface ServiceCheckSettings {
  /** Every rule must hold for the check's content (or, with `partial`, scores the share that do). */
  expect: ContentRule[];
  /** No rule may hold for the check's content. */
  reject: ContentRule[];
  /** Some but not all `expect` rules holding scores that share of the service's `score_cap`. */
  partial: boolean;
  http: HttpSettings;
  dns: DnsSettings;
  sql: SqlSettings;
}

/** The settings of a service that has none: every check as it was before settings existed. */
export const NO_CHECK_SETTINGS: ServiceCheckSettings = Object.freeze({
  expect: [],
  reject: [],
  partial: false,
  http: { status: [], headers: [], maxRedirects: 0, verifyTls: false, login: undefined },
  dns: { recordType: 'A' },
  sql: { query: '' },
}) as ServiceCheckSettings;
