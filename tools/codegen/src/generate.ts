import { generate, GEN_DIR } from './codegen.js';
import { PYTHON_STUBS } from './python.js';

generate('.');
console.log(`generated ${[GEN_DIR, ...PYTHON_STUBS.map((s) => s.dir)].join(', ')}`);
