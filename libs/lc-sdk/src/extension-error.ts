/**
 * An error an extension's handler throws to answer LimaCharlie with it: `retriable` (the default,
 * as lc-extension's) makes the gateway answer HTTP 500 so LimaCharlie sends the message again;
 * `retriable: false` answers 400 and LimaCharlie gives up. The message goes to LimaCharlie as it
 * is (any other error is logged here under an error id, and LimaCharlie sees only the id).
 */
export class ExtensionError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean } = {}) {
    super(message);
    this.name = 'ExtensionError';
    this.retriable = options.retriable ?? true;
  }
}

export function isExtensionError(err: unknown): err is ExtensionError {
  return err instanceof ExtensionError;
}
