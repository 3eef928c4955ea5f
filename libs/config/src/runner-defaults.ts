/**
 * A runner's defaults, in one place: the runner app's environment (RUNNER_CONCURRENCY,
 * RUNNER_CHECK_TIMEOUT_MS) and libs/runner's CheckRunner both read them.
 */
export const RUNNER_DEFAULTS = Object.freeze({
  /** Checks in flight at once. */
  concurrency: 64,
  /** Each check's own time limit, when its task names none. */
  checkTimeoutMs: 5000,
});
