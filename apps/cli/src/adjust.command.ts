import { parseArgs } from 'node:util';
import type { AuditEntry } from '@checkwire/proto';
import { positiveId, wholeNumber } from './cli-args.js';
import { UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';
import { roundArg } from './round-arg.js';

function required(flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** One audit entry as a line (and its before/after below it). */
export function auditLine(e: AuditEntry): string {
  const head = `${e.id}  ${e.time?.toISOString() ?? ''}  ${e.actor}  ${e.action}  ${e.subject}: ${e.reason}`;
  const states = [
    e.beforeJson ? `    before ${e.beforeJson}` : '',
    e.afterJson ? `    after  ${e.afterJson}` : '',
  ].filter(Boolean);
  return [head, ...states].join('\n');
}

/** `adjust --team ID --points N --reason TEXT` */
export async function runAdjust(args: string[], c: Connection): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      team: { type: 'string' },
      points: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const { adjustment, audit } = await c.adjustments.adjustPoints({
    teamId: positiveId('--team', values.team),
    points: wholeNumber('--points', values.points),
    reason: required('--reason', values.reason),
  });
  const sign = adjustment!.points > 0 ? '+' : '';
  return `adjusted team ${adjustment!.teamId} by ${sign}${adjustment!.points} points (audit ${audit!.id})`;
}

/** `flip --service ID --round TIME --reason TEXT` */
export async function runFlip(args: string[], c: Connection): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      service: { type: 'string' },
      round: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const round = await roundArg('--round', values.round, c);
  const flipped = await c.adjustments.flipCheckResult({
    serviceId: positiveId('--service', values.service),
    roundTime: round,
    reason: required('--reason', values.reason),
  });
  return `service ${values.service} in round ${round.toISOString()} now counts ${
    flipped.up ? 'up' : 'down'
  } (${flipped.points} points; audit ${flipped.audit!.id})`;
}

/** `rescore --round N|TIME --reason TEXT`: a past round counted again under the rules now. */
export async function runRescore(args: string[], c: Connection): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { round: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
  });
  const reason = required('--reason', values.reason);
  const round = await roundArg('--round', values.round, c);
  const done = await c.adjustments.rescoreRound({ roundTime: round, reason });
  if (values.json) return JSON.stringify(done, null, 2);
  const head = `round ${round.toISOString()} counted again: ${done.services} service${
    done.services === 1 ? '' : 's'
  } (audit ${done.audit!.id})`;
  if (done.changed.length === 0) return `${head}; no team's points in it changed`;
  return [
    head,
    ...done.changed.map((t) => `  team ${t.teamId}: ${t.pointsBefore} → ${t.pointsAfter}`),
  ].join('\n');
}

/** `audit [--limit N] [--json]`: the newest entries first. */
export async function runAudit(args: string[], c: Connection): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const { entries } = await c.adjustments.listAuditLog({
    pageSize: values.limit === undefined ? 0 : wholeNumber('--limit', values.limit),
  });
  if (values.json) return JSON.stringify(entries, null, 2);
  return entries.length === 0 ? 'the audit log is empty' : entries.map(auditLine).join('\n');
}
