export { LcGatewayApp } from './gateway.app.js';
export type { LcGatewayOptions } from './gateway.app.js';
export type { RouteConfig } from './route.js';
export type { ExtensionConfig } from './extension-route.js';
