import { runInOwnSession } from './detach.js';

// `npm start`. The first process only starts the stack in a session of its own and passes signals
// on (detach.ts), so it loads nothing else: the stack's modules are loaded once, in the stack.
if (!runInOwnSession()) await (await import('./stack.js')).runStack();
