export * from './check-settings.js';
export * from './content-rule.js';
