import { databaseFailure } from './database-failure.js';
import { listenFailure, type Setting } from './listen-failure.js';

/** The settings a start may fail on, each with the variable it came from. */
export interface StartSettings {
  /** e.g. `['DATABASE_URL', config.databaseUrl]` */
  database?: Setting<string>;
  /** e.g. `['SCORING_HOST', config.host]` and `['SCORING_PORT', config.port]` */
  listen?: { host: Setting<string>; port: Setting<number> };
}

/**
 * For `.catch()` on an app's start: a failure the operator fixes through a variable (a database
 * that refuses, a port in use) is rethrown as a ConfigError naming it, which runMain prints as one
 * line; anything else is rethrown as it is.
 *
 *     const app = await ScoringApp.start(config).catch(explainStartFailure({ database: … }));
 */
export function explainStartFailure(settings: StartSettings): (err: unknown) => never {
  return (err) => {
    const { database, listen } = settings;
    throw (
      (listen && listenFailure(err, listen.host, listen.port)) ??
      (database && databaseFailure(err, ...database)) ??
      err
    );
  };
}
