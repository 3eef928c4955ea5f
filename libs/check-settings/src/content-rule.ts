import { createHash } from 'node:crypto';
import { RE2JS } from 're2js';
import type { ContentRule } from './check-settings.js';

/** Compiled patterns by source; a settings' few patterns run every round (bounded: outside input). */
const compiled = new Map<string, RE2JS>();
const MAX_COMPILED = 256;

/**
 * A pattern compiled by re2js (RE2: linear in the text's length, whatever the pattern; no
 * backreferences or lookaround). Throws re2js's syntax error for a pattern RE2 does not accept.
 */
export function compilePattern(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = RE2JS.compile(pattern);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, re);
  }
  return re;
}

/** Content as the text rules read it (UTF-8); decode once per judgement, not per rule. */
export const contentText = (content: string | Buffer): string =>
  typeof content === 'string' ? content : content.toString('utf8');

/** Whether `rule` holds for `content` (text as UTF-8; a hash over its bytes). */
export function ruleHolds(rule: ContentRule, content: string | Buffer): boolean {
  if ('contains' in rule) return contentText(content).includes(rule.contains);
  if ('exact' in rule) return contentText(content) === rule.exact;
  if ('regex' in rule) return compilePattern(rule.regex).matcher(contentText(content)).find();
  return createHash('sha256').update(content).digest('hex') === rule.sha256;
}

const MAX_SHOWN = 60;
const shown = (s: string): string =>
  JSON.stringify(s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s);

/** A rule in words, for a result's message: `contains "Welcome"`, `matches /^v\d+/`. */
export function describeRule(rule: ContentRule): string {
  if ('contains' in rule) return `contains ${shown(rule.contains)}`;
  if ('exact' in rule) return `is exactly ${shown(rule.exact)}`;
  if ('regex' in rule)
    return `matches /${rule.regex.length > MAX_SHOWN ? `${rule.regex.slice(0, MAX_SHOWN)}…` : rule.regex}/`;
  return `has sha256 ${rule.sha256.slice(0, 12)}…`;
}
