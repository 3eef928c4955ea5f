/** One app of the stack: a separate process, as in production. */
export interface AppSpec {
  name: string;
  /** Entry point, relative to the workspace root. */
  entry: string;
  /** A line the app prints once it serves; the first capture group is its address. */
  ready: RegExp;
}

/** What `npm start` runs, in start order. Later apps reach earlier ones over the network only. */
export const STACK_APPS: AppSpec[] = [
  {
    name: 'scoring',
    entry: 'apps/scoring/src/main.ts',
    ready: /gRPC listening on (\S+)/,
  },
];
