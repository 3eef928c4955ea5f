/**
 * What the LcRegistryService service names of extensions start with: an extension's orgs are
 * recorded under `ext/<extension name>` (a route may not be named `ext/…`).
 */
export const EXTENSION_REGISTRY_PREFIX = 'ext/';

/**
 * The LcRegistryService service name an extension's orgs are recorded under (a route may not be named `ext/…`).
 */
export function extensionRegistryName(extensionName: string): string {
  return `${EXTENSION_REGISTRY_PREFIX}${extensionName}`;
}
