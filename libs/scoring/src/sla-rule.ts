import type { SlaModel } from '@checkwire/db';
import { InvalidArgumentError } from '@checkwire/errors';

// A service level agreement as the competition states it. The database applies it as scores are
// written (migration 0016's sla_penalty); this is its shape, its checks and how it reads.

export interface SlaRule {
  model: SlaModel;
  /** The failed round in a row that is the first penalised (1: every failed round). */
  threshold: number;
  penalty: number;
  /** 'exponential' only: each further failed round costs this many times the last. */
  growth: number;
  /** At most this per round. */
  max_penalty: number;
}

/** A rule as a caller gives it: 0 (or an absent model) for what it leaves unset. */
export interface SlaDraft {
  model: SlaModel | undefined;
  threshold: number;
  penalty: number;
  growth: number;
  max_penalty: number;
}

/** The column defaults: no penalties. */
export const SLA_OFF: SlaRule = Object.freeze({
  model: 'off',
  threshold: 3,
  penalty: 0,
  growth: 2,
  max_penalty: 1_000_000,
});

function whole(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(field, `must be a whole number ${min}–${max}, got ${value}`);
  }
  return value;
}

/** The rule with its unset parts filled in; refuses a field out of range, naming it under `at`. */
export function validSlaRule(d: SlaDraft, at: string): SlaRule {
  const model = d.model ?? 'off';
  const growth = d.growth === 0 ? SLA_OFF.growth : d.growth;
  if (!Number.isFinite(growth) || growth < 1 || growth > 10) {
    throw new InvalidArgumentError(`${at}growth`, `must be 1–10, got ${growth}`);
  }
  if (model !== 'exponential' && d.growth !== 0 && d.growth !== SLA_OFF.growth) {
    throw new InvalidArgumentError(`${at}growth`, `applies to the exponential model only`);
  }
  return {
    model,
    threshold:
      d.threshold === 0 ? SLA_OFF.threshold : whole(`${at}threshold`, d.threshold, 1, 1000),
    penalty: whole(`${at}penalty`, d.penalty, 0, 1_000_000),
    growth: Math.round(growth * 1000) / 1000,
    max_penalty:
      d.max_penalty === 0
        ? SLA_OFF.max_penalty
        : whole(`${at}max_penalty`, d.max_penalty, 1, 1_000_000),
  };
}

export function sameSla(a: SlaRule | null, b: SlaRule | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.model === b.model &&
    a.threshold === b.threshold &&
    a.penalty === b.penalty &&
    a.growth === b.growth &&
    a.max_penalty === b.max_penalty
  );
}

/** "flat: 50 per failed round from the 3rd in a row" — what a diff line says. */
export function describeSla(r: SlaRule | null): string {
  if (r === null) return "the competition's";
  if (r.model === 'off') return 'off';
  const each =
    r.model === 'flat'
      ? `${r.penalty} per failed round`
      : r.model === 'additive'
        ? `${r.penalty}, then ${r.penalty} more each failed round`
        : `${r.penalty}, then ×${r.growth} each failed round`;
  const cap = r.max_penalty === SLA_OFF.max_penalty ? '' : `, at most ${r.max_penalty} a round`;
  return `${r.model}: ${each} from failed round ${r.threshold} in a row${cap}`;
}

/** A service's sla_* columns for its own rule, or all null: the competition's. */
export function slaColumns(r: SlaRule | null): {
  sla_model: SlaModel | null;
  sla_threshold: number | null;
  sla_penalty: number | null;
  sla_growth: number | null;
  sla_max_penalty: number | null;
} {
  return {
    sla_model: r?.model ?? null,
    sla_threshold: r?.threshold ?? null,
    sla_penalty: r?.penalty ?? null,
    sla_growth: r?.growth ?? null,
    sla_max_penalty: r?.max_penalty ?? null,
  };
}

/** A rule from its columns (a service's all-null ones: null). */
export function slaFromColumns(c: {
  sla_model: SlaModel | null;
  sla_threshold: number | null;
  sla_penalty: number | null;
  sla_growth: string | null;
  sla_max_penalty: number | null;
}): SlaRule | null {
  if (c.sla_model === null) return null;
  return {
    model: c.sla_model,
    threshold: c.sla_threshold ?? SLA_OFF.threshold,
    penalty: c.sla_penalty ?? 0,
    growth: Number(c.sla_growth ?? SLA_OFF.growth),
    max_penalty: c.sla_max_penalty ?? SLA_OFF.max_penalty,
  };
}
