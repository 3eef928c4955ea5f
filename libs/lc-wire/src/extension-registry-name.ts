/**
 * The LcRegistryService service name an extension's orgs are recorded under (a route may not be named `ext/…`).
 */
export function extensionRegistryName(extensionName: string): string {
  return `ext/${extensionName}`;
}
