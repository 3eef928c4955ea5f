import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, GEN_DIR, snapshot } from './codegen.js';

// Fails when the committed generated code differs from what the protos generate today.
const scratch = mkdtempSync(join(tmpdir(), 'checkwire-codegen-'));
try {
  generate(scratch);
  const want = snapshot(join(scratch, GEN_DIR));
  const have = snapshot(GEN_DIR);
  const drift = [...new Set([...want.keys(), ...have.keys()])].filter((file) => {
    const a = want.get(file);
    const b = have.get(file);
    return a === undefined || b === undefined || !a.equals(b);
  });
  if (drift.length > 0) {
    console.error(
      `Generated code is out of date (${drift.join(', ')}). Run: npm run proto:generate`,
    );
    process.exitCode = 1;
  } else {
    console.log('generated code is up to date');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
