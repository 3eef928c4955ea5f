import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppSpec } from '@checkwire/proc';
import { MEASURED_WINDOWS } from './stats.js';

/**
 * `--profile <app,app|all>`: the named apps run with V8's CPU profiler, and once the bench is
 * done each profile is summarised over the measured stretches only (not its start, not the
 * warm-up): where the app's CPU went, by function and by package.
 */
let profiling: { dir: string; apps: Set<string> } | undefined;

export function profileApps(apps: string[]): void {
  if (apps.length === 0) return;
  const dir = resolve('.data', 'bench-profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  profiling = { dir, apps: new Set(apps) };
}

/** The app's spec, with the profiler on when it is one of those asked for. */
export function profiled(spec: AppSpec): AppSpec {
  if (profiling === undefined) return spec;
  if (!profiling.apps.has(spec.name) && !profiling.apps.has('all')) return spec;
  const dir = join(profiling.dir, spec.name);
  return { ...spec, nodeArgs: [...(spec.nodeArgs ?? []), '--cpu-prof', `--cpu-prof-dir=${dir}`] };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, one of our projects, or a part of node. */
function areaOf(url: string, name: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/((?:apps|libs|tools)\/[^/]+)\//.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0]!;
  return url === '' ? name : url;
}

function frameName(n: ProfileNode): string {
  const f = n.callFrame;
  const where = f.url.replace(/.*node_modules\//, '').replace(/.*\/((?:apps|libs|tools)\/)/, '$1');
  return `${f.functionName || '(anonymous)'} ${where}${where ? `:${f.lineNumber + 1}` : ''}`;
}

/** Milliseconds of samples per function (self) and per area (inclusive), within the windows. */
export function summarise(profile: CpuProfile): {
  windowMs: number;
  busyMs: number;
  self: [string, number][];
  areas: [string, number][];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inWindow = (us: number) => MEASURED_WINDOWS.some((w) => us >= w.startUs && us < w.endUs);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (!inWindow(at)) return;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    busyUs += dt;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const area = areaOf(f.url, f.functionName);
      if (area === '(root)' || seen.has(area)) continue;
      seen.add(area);
      areas.set(area, (areas.get(area) ?? 0) + dt);
    }
  });
  const windowMs = MEASURED_WINDOWS.reduce(
    (sum, w) => sum + Math.max(0, Math.min(w.endUs, at) - Math.max(w.startUs, profile.startTime)),
    0,
  );
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, us]): [string, number] => [k, us / 1000]);
  return { windowMs: windowMs / 1000, busyMs: busyUs / 1000, self: top(self), areas: top(areas) };
}

/** Prints each profile's summary (the main thread's; tsx's loader thread is left out). */
export function printProfiles(): void {
  if (profiling === undefined) return;
  for (const app of [...profiling.apps]) {
    const dir = join(profiling.dir, app);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f))) {
      const s = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
      if (s.busyMs === 0) continue;
      const pct = (ms: number) => `${((100 * ms) / s.busyMs).toFixed(1).padStart(5)}%`;
      console.log(
        `\nprofile ${app} (${join(dir, file)}): busy ${s.busyMs.toFixed(0)} ms of ` +
          `${s.windowMs.toFixed(0)} ms measured (${((100 * s.busyMs) / s.windowMs).toFixed(0)}% of a core)`,
      );
      console.log('  where its CPU went, by package (inclusive):');
      for (const [area, ms] of s.areas) console.log(`  ${pct(ms)}  ${area}`);
      console.log('  by function (self):');
      for (const [name, ms] of s.self) console.log(`  ${pct(ms)}  ${name}`);
    }
  }
}
