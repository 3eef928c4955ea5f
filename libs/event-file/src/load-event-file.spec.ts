import { describe, expect, it } from 'vitest';
import { EventFileError } from './event-file-error.js';
import { loadEventFile, locate } from './load-event-file.js';
import { renderEventFile } from './render.js';

const load = (text: string, env: Record<string, string> = {}) => loadEventFile('e.yaml', text, env);

/** The problems a file is refused with, as printed. */
function refusal(text: string, env: Record<string, string> = {}): string[] {
  try {
    load(text, env);
  } catch (err) {
    if (err instanceof EventFileError) return err.message.split('\n');
    throw err;
  }
  throw new Error('the file was accepted');
}

const EVENT = `
name: Test Cup
points: { HTTP: 40 }
password_changes: { mode: delay, delay_seconds: 30 }
credential_pools:
  - name: users
    credentials: [{ username: alice, password: "\${ALICE:-fallback}" }]
templates:
  std:
    - { name: web, subtype: HTTP, url: "http://10.0.{{team.index}}.{{ team.host }}/", port: 80 }
    - { name: ssh, subtype: SSH, url: "10.0.{{team.index}}.2", port: "22{{team.index}}", credential_pool: users }
teams:
  - name: Red Team
    vars: { host: 9 }
    use: [std]
    services:
      - { name: web, port: 8080, points: 7 }
      - { name: extra, subtype: DNS, password: "$$\${DNS_PW}" }
  - { name: Blue, vars: { host: 5 }, use: [std] }
`;

describe('loadEventFile', () => {
  it('expands templates per team, with placeholders, overrides, subtype points and ${ENV}', () => {
    const { competition } = load(EVENT, { DNS_PW: 'pw' });
    const [red, blue] = competition.teams;
    expect(red!.services.map((s) => [s.name, s.url, s.port, s.points])).toEqual([
      ['web', 'http://10.0.1.9/', 8080, 7],
      ['ssh', '10.0.1.2', 221, undefined],
      ['extra', '', 0, undefined],
    ]);
    expect(red!.services[2]!.password).toBe('$pw');
    expect(blue!.services.map((s) => [s.name, s.url, s.port, s.points])).toEqual([
      ['web', 'http://10.0.2.5/', 80, 40],
      ['ssh', '10.0.2.2', 222, undefined],
    ]);
    expect(competition.credential_pools[0]!.credentials[0]!.password).toBe('fallback');
    expect(competition.password_changes).toEqual({ mode: 'delay', delay_seconds: 30 });
    expect(
      load(EVENT, { ALICE: 'real', DNS_PW: 'x' }).competition.credential_pools[0]!.credentials[0]!
        .password,
    ).toBe('real');
  });

  it("carries SLA rules, the competition's and a service's own, and refuses a bad one by path", () => {
    const { competition } = load(
      [
        'name: SLA Cup',
        'sla: { model: exponential, threshold: 2, penalty: 5, growth: 1.5 }',
        'templates:',
        '  t: [{ name: web, subtype: HTTP, sla: { model: off } }]',
        'teams:',
        '  - { name: A, use: [t] }',
        '  - name: B',
        '    use: [t]',
        '    services: [{ name: web, sla: { model: flat, penalty: 10 } }]',
      ].join('\n'),
    );
    expect(competition.sla).toEqual({
      model: 'exponential',
      threshold: 2,
      penalty: 5,
      growth: 1.5,
    });
    expect(competition.teams.map((t) => t.services[0]!.sla)).toEqual([
      { model: 'off' },
      { model: 'flat', penalty: 10 },
    ]);
    expect(
      refusal(
        [
          'name: X',
          'sla: { model: linear, threshold: 0 }',
          'teams: [{ name: A, services: [{ name: w, subtype: S, sla: { penalty: 5 } }] }]',
        ].join('\n'),
      ),
    ).toEqual([
      'e.yaml:2: sla.model: must be off, flat, additive or exponential, got "linear"',
      'e.yaml:2: sla.threshold: must be 1–1000, got 0',
      'e.yaml:3: teams[0].services[0].sla.model: is required',
    ]);
  });

  it('lists every problem with its path and line, never a secret', () => {
    expect(
      refusal(
        [
          'name: ""',
          'checks: { interval_seconds: "60" }',
          'teams:',
          '  - name: A',
          '    colour: red',
          '    services:',
          '      - { name: web, subtype: HTTP, port: -1, password: "${NOT_SET}" }',
        ].join('\n'),
        { SECRET: 'hunter2' },
      ),
    ).toEqual([
      'e.yaml:7: teams[0].services[0].password: ${NOT_SET} is not set in the environment',
      'e.yaml:1: name: must not be empty',
      'e.yaml:2: checks.interval_seconds: must be integer, got "60"',
      'e.yaml:5: teams[0].colour: is not a field here (a typo?)',
      'e.yaml:7: teams[0].services[0].port: must be 0–65535 (or a {{team.…}} placeholder), got -1',
    ]);
  });

  it("refuses templates, placeholders and pools that don't fit, and a port a placeholder breaks", () => {
    expect(
      refusal(
        [
          'name: X',
          'templates:',
          '  t: [{ name: a, subtype: S, port: "9{{team.index}}9999", url: "{{team.nope}}" }]',
          'teams:',
          '  - { name: A, use: [t, u] }',
          '  - name: B',
          '    services: [{ name: b }, { name: c, subtype: S, credential_pool: none }, { name: c, subtype: S }]',
        ].join('\n'),
      ),
    ).toEqual([
      'e.yaml:5: teams[0].use[1]: no template named "u" (templates: t)',
      'e.yaml:3: templates.t[0].port: must be 0–65535 for teams[0], got "919999"',
      'e.yaml:3: templates.t[0].url: {{team.nope}} is not known for teams[0] (known: {{team.name}}, {{team.index}})',
      'e.yaml:7: teams[1].services[0].subtype: is required (no template this team uses has a service named "b")',
      'e.yaml:7: teams[1].services[2].name: another service of this team is named "c"',
      'e.yaml:7: teams[1].services[1].credential_pool: no credential pool named "none" in credential_pools',
    ]);
  });

  it('refuses what is not YAML, with its line, and bounds aliases', () => {
    expect(refusal('name: X\nteams: [\n')[0]).toMatch(/^e\.yaml:3: not valid YAML: /);
    const laughs = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'
        .split('')
        .map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
      'name: X',
      'teams: []',
    ].join('\n');
    expect(refusal(laughs)[0]).toMatch(/^e\.yaml: cannot be read: .*alias/i);
  });

  it('points a server refusal of an expanded service at its template, naming the team', () => {
    const loaded = load(EVENT, { DNS_PW: 'x' });
    expect(locate(loaded, 'teams[1].services[1].port')).toEqual({
      path: ['templates', 'std', 1, 'port'],
      line: 11,
      note: ' (for teams[1])',
    });
    expect(locate(loaded, 'teams[0].services[0].points')).toEqual({
      path: ['teams', 0, 'services', 0, 'points'],
      line: 17,
      note: '',
    });
    expect(locate(loaded, 'teams[1].name')).toEqual({
      path: ['teams', 1, 'name'],
      line: 19,
      note: '',
    });
  });

  it('reads back what it renders, unchanged', () => {
    const { competition } = load(EVENT, { DNS_PW: '${NOT_A_REF}' });
    expect(competition.teams[0]!.services[2]!.password).toBe('$${NOT_A_REF}');
    const text = renderEventFile(competition, 'exported');
    expect(text.startsWith('# exported\nname: Test Cup\n')).toBe(true);
    const again = load(text).competition;
    // Rendered services carry their resolved points, and no template.
    expect(again.teams).toEqual(competition.teams);
    expect(again.credential_pools).toEqual(competition.credential_pools);
    expect(again.password_changes).toEqual(competition.password_changes);
  });
});
