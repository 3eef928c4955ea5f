export {
  AlreadyExistsError,
  CheckwireError,
  FailedPreconditionError,
  InvalidArgumentError,
  isCheckwireError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from './errors.js';
