/**
 * What every extension's LcRegistryService service name starts with; no lcservice route may be
 * named so (its path would be an extension's).
 */
export const EXTENSION_REGISTRY_PREFIX = 'ext/';

/**
 * The LcRegistryService service name an extension's orgs are recorded under (a route may not be named `ext/…`).
 */
export function extensionRegistryName(extensionName: string): string {
  return `${EXTENSION_REGISTRY_PREFIX}${extensionName}`;
}
