import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ACCESS_TABLE_FILE, renderAccessTable } from './render.js';

// `npm run docs:access`: writes the role × RPC table from the services' policies.
mkdirSync(dirname(ACCESS_TABLE_FILE), { recursive: true });
writeFileSync(ACCESS_TABLE_FILE, renderAccessTable());
console.log(`wrote ${ACCESS_TABLE_FILE}`);
