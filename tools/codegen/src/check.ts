import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, GEN_DIR, snapshot } from './codegen.js';
import { PYTHON_STUBS } from './python.js';

// Fails when the committed generated code differs from what the protos generate today.
const scratch = mkdtempSync(join(tmpdir(), 'checkwire-codegen-'));
try {
  generate(scratch);
  // The TypeScript contracts and the Python packages' stubs.
  const drift = [GEN_DIR, ...PYTHON_STUBS.map((s) => s.dir)].flatMap((dir) => {
    const want = snapshot(join(scratch, dir));
    const have = existsSync(dir) ? snapshot(dir) : new Map<string, Buffer>();
    return [...new Set([...want.keys(), ...have.keys()])]
      .filter((file) => !file.includes('__pycache__')) // Python's bytecode cache, not code
      .filter((file) => {
        const a = want.get(file);
        const b = have.get(file);
        return a === undefined || b === undefined || !a.equals(b);
      })
      .map((file) => join(dir, file));
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
