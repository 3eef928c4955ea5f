import type { AppSpec } from '@checkwire/proc';

/** What `npm start` runs, in start order. Later apps reach earlier ones over the network only. */
export const STACK_APPS: AppSpec[] = [
  {
    name: 'scoring',
    entry: 'apps/scoring/src/main.ts',
    ready: /gRPC listening on (\S+)/,
  },
];
