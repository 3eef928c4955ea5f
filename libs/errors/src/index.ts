export {
  AlreadyExistsError,
  CheckwireError,
  FailedPreconditionError,
  InvalidArgumentError,
  isCheckwireError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from './errors.js';
export {
  int32,
  nonEmpty,
  optionalId,
  optionalText,
  optionalTime,
  port,
  requireId,
  text,
  time,
} from './validation.js';
