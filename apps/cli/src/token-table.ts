import { Role, type ApiToken } from '@checkwire/proto';

/** Role names as the command line spells them. */
export const ROLES: Readonly<Record<string, Role>> = Object.freeze({
  admin: Role.ROLE_ADMIN,
  check_runner: Role.ROLE_CHECK_RUNNER,
  blue: Role.ROLE_BLUE,
  red: Role.ROLE_RED,
  green: Role.ROLE_GREEN,
  lc_gateway: Role.ROLE_LC_GATEWAY,
  scheduler: Role.ROLE_SCHEDULER,
});

export const roleName = (role: Role): string =>
  Object.entries(ROLES).find(([, r]) => r === role)?.[0] ??
  (role === Role.ROLE_PUBLIC ? 'public' : String(role));

/** One line of the table: the columns padded to the same widths as the header. */
const line = (id: string, role: string, prefix: string, state: string, rest: string[]) =>
  [id.padEnd(5), role.padEnd(13), prefix.padEnd(10), state.padEnd(8), ...rest].join(' ').trimEnd();

const HEADER = line('id', 'role', 'prefix', 'state', ['name']);

function row(t: ApiToken): string {
  const limits = [
    t.teamId === undefined ? '' : `team ${t.teamId}`,
    t.subtypes.length ? `subtypes ${t.subtypes.join(',')}` : '',
    t.serviceIds.length ? `services ${t.serviceIds.join(',')}` : '',
  ].filter(Boolean);
  return line(String(t.id), roleName(t.role), `${t.prefix}…`, t.revokeTime ? 'revoked' : 'live', [
    t.name,
    limits.length ? `(${limits.join('; ')})` : '',
  ]);
}

/** Tokens as every command prints them: a header line, then one line per token. */
export function tokenTable(tokens: readonly ApiToken[]): string {
  return [HEADER, ...tokens.map(row)].join('\n');
}
