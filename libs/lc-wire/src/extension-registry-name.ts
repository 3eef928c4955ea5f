export function extensionRegistryName(extensionName: string): string { return `ext/${extensionName}`; }
