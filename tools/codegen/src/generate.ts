import { generate, GEN_DIR } from './codegen.js';
import { PY_GEN_DIR } from './python.js';

generate('.');
console.log(`generated ${GEN_DIR} and ${PY_GEN_DIR}`);
