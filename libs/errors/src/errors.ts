/**
 * Domain errors: what went wrong, in words a caller can act on. They know nothing about gRPC;
 * the edge (libs/grpc `toGrpcStatus`) maps each class to one status code.
 */
export abstract class CheckwireError extends Error {
  protected constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request itself is wrong (a field out of range, missing or malformed). */
export class InvalidArgumentError extends CheckwireError {
  constructor(
    /** The request field at fault, in proto (snake_case) spelling. */
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** A referenced entity does not exist. */
export class NotFoundError extends CheckwireError {
  constructor(
    readonly entity: string,
    readonly id: number | string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

/** Creating something that exists already (a unique name, say). */
export class AlreadyExistsError extends CheckwireError {
  constructor(message: string) {
    super(message);
  }
}

/** The request is well formed but the system is not in a state to accept it. */
export class FailedPreconditionError extends CheckwireError {
  constructor(message: string) {
    super(message);
  }
}

/** The caller is not who it claims to be, or did not say. */
export class UnauthenticatedError extends CheckwireError {
  constructor(message: string) {
    super(message);
  }
}

/** The caller is known but may not do this. */
export class PermissionDeniedError extends CheckwireError {
  constructor(message: string) {
    super(message);
  }
}

/** A dependency is down or overloaded; the call may be retried. */
export class UnavailableError extends CheckwireError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The caller holds too much of a limited resource (streams, say); it may try again later. */
export class ResourceExhaustedError extends CheckwireError {
  constructor(message: string) {
    super(message);
  }
}

export function isCheckwireError(err: unknown): err is CheckwireError {
  return err instanceof CheckwireError;
}
