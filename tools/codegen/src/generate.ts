import { generate, GEN_DIR } from './codegen.js';

generate('.');
console.log(`generated ${GEN_DIR}`);
