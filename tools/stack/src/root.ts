import { join } from 'node:path';

/** The workspace's root: this folder is tools/stack/src (or dist/tools/stack, at the same depth). */
export const WORKSPACE_ROOT = join(import.meta.dirname, '..', '..', '..');
