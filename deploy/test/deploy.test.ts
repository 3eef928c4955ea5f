import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { BUILT_APPS, isBuiltApp } from '@checkwire/build';
import { METRICS_DEFAULTS, type MeteredApp } from '@checkwire/config';
import { composeProblems, manifestProblem } from './schemas.js';

// No container engine runs here: these files are checked for what can go wrong without one
// (they are valid against the published schemas, they point at files and ports that exist,
// their parts agree with each other). Why the gRPC addresses are dns:/// and the Services
// headless: deploy/README.md.

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const documented = new Set(
  read('.env.example')
    .split('\n')
    .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined),
);
const isKnownVariable = (name: string) => documented.has(name) || name.startsWith('OTEL_');

/** The app a command starts (`dist/server/<app>/main.js`), if it is one that serves metrics. */
function meteredAppOf(command: string[] | undefined): MeteredApp | undefined {
  const app = /^dist\/server\/([a-z-]+)\/main\.js$/.exec(command?.at(-1) ?? '')?.[1];
  return app !== undefined && Object.hasOwn(METRICS_DEFAULTS, app)
    ? (app as MeteredApp)
    : undefined;
}

/**
 * Whether a command's entry is an app the image has: `dist/server/<app>/main.js` for an app
 * libs/build compiles from a source that exists (dist/ itself is made by the image's build).
 */
function isBuiltEntry(entry: string): boolean {
  const app = /^dist\/server\/([a-z-]+)\/main\.js$/.exec(entry)?.[1];
  return app !== undefined && isBuiltApp(app) && existsSync(join(root, BUILT_APPS[app]));
}

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

describe('deploy/docker-compose.yml', () => {
  const compose = parse(read('deploy/docker-compose.yml')) as {
    services: Record<string, ComposeService>;
  };
  const scoring = compose.services.scoring!;

  it('runs PostgreSQL, Jaeger with OTLP/HTTP, and the scoring app wired to both', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'console',
      'jaeger',
      'jobs',
      'lc-example',
      'lc-gateway',
      'postgres',
      'runner',
      'scheduler',
      'scoring',
    ]);
    expect(compose.services.jaeger!.ports).toContain('4318:4318');
    expect(compose.services.jaeger!.ports).toContain('16686:16686');
    expect(scoring.environment!.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    expect(scoring.environment!.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(scoring.depends_on!.postgres!.condition).toBe('service_healthy');
    expect(scoring.ports).toContain(`${scoring.environment!.SCORING_PORT}:50051`);
  });

  it('starts entry points that exist, with variables the apps read', () => {
    const apps = Object.values(compose.services).filter((s) => s.command !== undefined);
    expect(apps).toHaveLength(7);
    for (const app of apps) {
      expect(app.command!.slice(0, 2)).toEqual(['node', '--enable-source-maps']);
      expect(isBuiltEntry(app.command!.at(-1)!), app.command!.at(-1)).toBe(true);
      for (const name of Object.keys(app.environment!))
        expect(isKnownVariable(name), name).toBe(true);
    }
  });

  it('routes the gateway to the example handler and to jobs by their compose names and ports', () => {
    const gateway = compose.services['lc-gateway']!.environment!;
    const routes = JSON.parse(gateway.LC_GATEWAY_ROUTES!) as { handler: string }[];
    const example = compose.services['lc-example']!.environment!;
    expect(routes[0]!.handler).toBe(`lc-example:${example.LC_EXAMPLE_PORT}`);
    expect(gateway.JOBS_ADDRESS).toBe(
      `dns:///jobs:${compose.services.jobs!.environment!.JOBS_PORT}`,
    );
  });

  it('names each gRPC server dns:///<service>:<port>, so clients reach all its containers', () => {
    const addresses = Object.values(compose.services).flatMap((s) =>
      Object.entries(s.environment ?? {}).filter(([name]) => name.endsWith('_ADDRESS')),
    );
    expect(addresses.length).toBeGreaterThan(5);
    for (const [name, address] of addresses) {
      const [, service, port] = /^dns:\/\/\/([a-z-]+):(\d+)$/.exec(address) ?? [];
      const server = compose.services[service ?? '']?.environment ?? {};
      const portVariable = `${name.replace(/_ADDRESS$/, '')}_PORT`;
      expect([name, port], address).toEqual([name, server[portVariable]]);
    }
  });

  it("serves every app's metrics on 0.0.0.0 inside the compose network, publishing none", () => {
    const apps = Object.values(compose.services).filter((s) => s.command !== undefined);
    const metered = apps.map((s) => meteredAppOf(s.command));
    expect(metered.sort()).toEqual(Object.keys(METRICS_DEFAULTS).sort());
    for (const service of apps) {
      const { hostVar, portVar, port } = METRICS_DEFAULTS[meteredAppOf(service.command)!];
      expect([hostVar, service.environment![hostVar]]).toEqual([hostVar, '0.0.0.0']);
      expect(service.environment![portVar], portVar).toBeUndefined();
      const published = (service.ports ?? []).map((p) => Number(p.split(':').at(-1)));
      expect(published, hostVar).not.toContain(port);
    }
  });

  it('is valid against the Compose specification', () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  it('the Compose schema refuses a misspelt key and an unknown condition, saying where', () => {
    const broken = structuredClone(compose) as unknown as {
      services: Record<string, Record<string, unknown>>;
    };
    broken.services.scoring!.enviroment = broken.services.scoring!.environment;
    broken.services.jobs!.depends_on = { scoring: { condition: 'service_ready' } };
    expect(composeProblems(broken)).toEqual([
      '/services/scoring must NOT have additional properties (enviroment)',
      '/services/jobs/depends_on must be array',
      '/services/jobs/depends_on/scoring/condition must be equal to one of the allowed values',
      '/services/jobs/depends_on must match exactly one schema in oneOf',
    ]);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('runs a compiled app with node', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    const command = JSON.parse(cmd!) as string[];
    expect(command[0]).toBe('node');
    expect(isBuiltEntry(command.at(-1)!)).toBe(true);
  });

  it('compiles in a build stage, and runs as non-root with production dependencies only', () => {
    expect(stages).toHaveLength(2);
    const [build, run] = stages as [string, string];
    expect(build).toMatch(/^RUN .*npx tsx tools\/build\/src\/main\.ts/m);
    expect(build).toMatch(/^RUN .*vite build/m);
    // Everything the build's commands read is copied in first: tsx resolves the @checkwire/*
    // paths through tsconfig.json (which extends tsconfig.base.json), and the build compiles
    // apps, libs and tools/build.
    const copied = [...build.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const needed of ['tsconfig.json', 'tsconfig.base.json', 'apps', 'libs', 'tools/build']) {
      expect(copied).toContain(needed);
    }
    expect(run).toMatch(/^RUN npm ci --omit=dev/m);
    expect(run).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    // Nothing from the source tree: the image runs what the build stage compiled.
    expect(run).not.toMatch(/^COPY (apps|libs|tools)/m);
    expect(run).toMatch(/^USER node$/m);
    // What the image runs needs no dev dependency: the apps are compiled, not run by tsx.
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
  });
});

describe('deploy/k8s', () => {
  interface K8sDoc {
    apiVersion: string;
    kind: string;
    metadata: { name: string };
    data?: Record<string, string>;
    spec?: {
      selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
      template?: {
        metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
        spec: {
          containers: {
            command: string[];
            ports: { name: string; containerPort: number }[];
            env: { name: string; value?: string }[];
            envFrom: { configMapRef: { name: string } }[];
            readinessProbe: Record<string, { port: number }>;
            livenessProbe: Record<string, { port: number }>;
          }[];
        };
      };
      clusterIP?: string;
      ports?: { port: number; targetPort: string | number }[];
    };
  }
  const files = readdirSync(join(root, 'deploy/k8s')).filter((f) => f.endsWith('.yaml'));
  const docsOf = (file: string) =>
    parseAllDocuments(read(`deploy/k8s/${file}`)).map((d) => d.toJS() as K8sDoc);
  const everyDoc = files.flatMap(docsOf);

  it('has a manifest per app', () => {
    expect(files.sort()).toEqual([
      'console.yaml',
      'jobs.yaml',
      'lc-gateway.yaml',
      'runner.yaml',
      'scheduler.yaml',
      'scoring.yaml',
    ]);
  });

  it.each(files)("%s: every document is valid against Kubernetes' schema for its kind", (file) => {
    const docs = docsOf(file);
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.map(manifestProblem).filter((p) => p !== undefined)).toEqual([]);
  });

  it("Kubernetes' schema refuses a manifest the API server would, saying where and why", () => {
    const [, deployment] = docsOf('scoring.yaml') as [K8sDoc, K8sDoc];
    const broken = structuredClone(deployment) as unknown as {
      spec: { replicas: unknown; template: { spec: { containers: Record<string, unknown>[] } } };
    };
    broken.spec.replicas = 'two';
    delete broken.spec.template.spec.containers[0]!.name;
    expect(manifestProblem(broken)).toBe(
      'Deployment checkwire-scoring: data/spec/replicas must be integer, ' +
        'data/spec/template/spec/containers/0 must have required property name',
    );
    expect(manifestProblem({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toBe(
      'Pod x: no schema here for v1 Pod (add it to MODELS)',
    );
  });

  it('makes the gRPC Services headless, and every client names one as dns:///<name>:<port>', () => {
    const services = everyDoc.filter((d) => d.kind === 'Service');
    const grpc = services.filter((d) => d.spec!.ports!.some((p) => p.targetPort === 'grpc'));
    expect(grpc.map((d) => [d.metadata.name, d.spec!.clusterIP])).toEqual([
      ['checkwire-jobs', 'None'],
      ['checkwire-scheduler', 'None'],
      ['checkwire-scoring', 'None'],
    ]);
    const portOf = new Map(grpc.map((d) => [d.metadata.name, d.spec!.ports![0]!.port]));
    const addresses = everyDoc
      .filter((d) => d.kind === 'ConfigMap')
      .flatMap((d) => Object.entries(d.data!).filter(([name]) => name.endsWith('_ADDRESS')));
    expect(addresses.length).toBeGreaterThan(5);
    for (const [name, address] of addresses) {
      const [, service, port] = /^dns:\/\/\/([a-z-]+):(\d+)$/.exec(address) ?? [];
      expect([name, Number(port)], address).toEqual([name, portOf.get(service ?? '')]);
    }
  });

  it.each(files)(
    '%s: ConfigMap, Deployment (and Service) agree on names, labels and ports',
    (file) => {
      const docs = docsOf(file);
      const byKind = (kind: string) => docs.find((d) => d.kind === kind);
      expect(docs.map((d) => d.kind).slice(0, 2)).toEqual(['ConfigMap', 'Deployment']);
      for (const d of docs) expect(d.apiVersion).toMatch(/^(v1|apps\/v1)$/);
      const config = byKind('ConfigMap')!;
      const deployment = byKind('Deployment')!;
      const labels = deployment.spec!.template!.metadata.labels;
      expect(deployment.spec!.selector!.matchLabels).toEqual(labels);
      const [container] = deployment.spec!.template!.spec.containers;
      expect(container!.envFrom[0]!.configMapRef.name).toBe(config.metadata.name);
      expect(isBuiltEntry(container!.command.at(-1)!)).toBe(true);
      const variables = [...Object.keys(config.data!), ...container!.env.map((e) => e.name)];
      for (const name of variables) expect(isKnownVariable(name), name).toBe(true);
      const service = byKind('Service');
      if (service === undefined) return;
      expect(service.spec!.selector).toEqual(labels);
      const portVariable = Object.keys(config.data!).find((k) => k.endsWith('_PORT'))!;
      const port = Number(config.data![portVariable]);
      expect(container!.ports[0]!.containerPort).toBe(port);
      const probe = (p: Record<string, { port: number }>) => Object.values(p)[0]!.port;
      expect(probe(container!.readinessProbe as never)).toBe(port);
      expect(probe(container!.livenessProbe as never)).toBe(port);
      expect(service.spec!.ports![0]!.targetPort).toBe(container!.ports[0]!.name);
    },
  );

  const meteredOf = (file: string) => {
    const docs = docsOf(file);
    const deployment = docs.find((d) => d.kind === 'Deployment')!;
    const [container] = deployment.spec!.template!.spec.containers;
    const app = meteredAppOf(container!.command);
    return { config: docs.find((d) => d.kind === 'ConfigMap')!, deployment, container, app };
  };

  it('runs every app that serves metrics but the example handler (compose only)', () => {
    expect(files.map((file) => meteredOf(file).app).sort()).toEqual(
      Object.keys(METRICS_DEFAULTS)
        .filter((app) => app !== 'lc-example')
        .sort(),
    );
  });

  it.each(files)(
    '%s: serves /metrics on 0.0.0.0 at its default port, named and annotated for Prometheus',
    (file) => {
      const { config, deployment, container, app } = meteredOf(file);
      const { hostVar, portVar, port } = METRICS_DEFAULTS[app!];
      const metrics = container!.ports.filter((p) => p.name === 'metrics');
      expect(metrics.map((p) => p.containerPort)).toEqual([port]);
      expect(deployment.spec!.template!.metadata.annotations).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': '/metrics',
      });
      const env = {
        ...config.data,
        ...Object.fromEntries(container!.env.map((e) => [e.name, e.value])),
      };
      expect(env[hostVar], hostVar).toBe('0.0.0.0');
      // Left at the app's default, which the container port and the annotation name.
      expect(env[portVar], portVar).toBeUndefined();
    },
  );

  it("no Service routes to a metrics port (the lc-gateway's is LimaCharlie's way in)", () => {
    const services = everyDoc.filter((d) => d.kind === 'Service');
    expect(services.map((d) => d.metadata.name)).toContain('checkwire-lc-gateway');
    const metricsPorts = new Set<number | string>([
      'metrics',
      ...Object.values(METRICS_DEFAULTS).map((d) => d.port),
    ]);
    const routed = services.flatMap((d) =>
      d
        .spec!.ports!.filter((p) => metricsPorts.has(p.targetPort) || metricsPorts.has(p.port))
        .map((p) => [d.metadata.name, p.targetPort]),
    );
    expect(routed).toEqual([]);
  });
});

describe('deploy/k8s secrets', () => {
  const manifest = (file: string) => read(`deploy/k8s/${file}`);

  it("keeps the bootstrap admin token out of the scoring pods' logs, and says how to mint it", () => {
    const config = parseAllDocuments(manifest('scoring.yaml'))[0]!.toJS() as {
      data: Record<string, string>;
    };
    expect(config.data.SCORING_BOOTSTRAP_ADMIN_TOKEN).toBe('off');
    const command = /kubectl exec -it deploy\/checkwire-scoring -- (node (\S+) bootstrap)/.exec(
      manifest('scoring.yaml'),
    );
    expect(command).not.toBeNull();
    expect(isBuiltEntry(command![2]!)).toBe(true);
  });

  it('gives every calling app a token Secret of its own', () => {
    const secretOf = (file: string) =>
      [...manifest(file).matchAll(/name: (checkwire-[a-z-]+-token)\n/g)].map((m) => m[1]);
    expect(['lc-gateway.yaml', 'runner.yaml', 'scheduler.yaml'].map(secretOf)).toEqual([
      ['checkwire-lc-gateway-token'],
      ['checkwire-runner-token'],
      ['checkwire-scheduler-token'],
    ]);
  });
});

describe('.env.example', () => {
  it('documents every variable the apps and tools read', () => {
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (f) =>
        /^(apps|tools|libs)\//.test(f) &&
        /\/src\/.*\.ts$/.test(f) &&
        !f.includes('node_modules') &&
        !f.includes('/gen/'),
    );
    const read = new Set<string>();
    for (const file of sources) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/env(?:String|Int|Bool|Optional)\(\s*env,\s*'([A-Z0-9_]+)'/g))
        read.add(m[1]!);
      for (const m of text.matchAll(/envTls\(\s*env,\s*'([A-Z0-9_]+)'\)/g))
        for (const part of ['CERT', 'KEY', 'CLIENT_CA']) read.add(`${m[1]}_TLS_${part}_FILE`);
      for (const m of text.matchAll(/env\.(CHECKWIRE_[A-Z0-9_]+)/g)) read.add(m[1]!);
      for (const m of text.matchAll(/read\('(CHECKWIRE_[A-Z0-9_]+)'\)/g)) read.add(m[1]!);
    }
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((name) => !isKnownVariable(name)).sort()).toEqual([]);
  });
});
