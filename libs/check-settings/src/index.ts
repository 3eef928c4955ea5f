export * from './check-settings.js';
export * from './content-rule.js';
export * from './judge.js';
export * from './stored.js';
export * from './wire.js';
export * from './file-form.js';
