/* global process */
// The floor of an app's start in the bench's (k): node itself, printing one line.
process.stdout.write('ready bare-node\n');
