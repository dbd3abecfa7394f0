/**
 * The one error type: a stable `code`, a message a user can act on, and the HTTP status (or CLI
 * exit code) it maps to. `src/server/platform/http/error-handler.ts` turns it into a response.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(code: string, message: string, status = 400, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const badRequest = (message: string, details?: unknown, code = 'bad_request') =>
  new AppError(code, message, 400, details);
export const unauthorized = (message = 'Sign in or send a valid bearer token') =>
  new AppError('unauthorized', message, 401);
export const forbidden = (message = 'Your role does not allow this') =>
  new AppError('forbidden', message, 403);
export const notFound = (what: string) => new AppError('not_found', `${what} not found`, 404);
export const conflict = (message: string, details?: unknown, code = 'conflict') =>
  new AppError(code, message, 409, details);

/** Bad usage or bad input on the command line: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A runtime failure the CLI reports on one line with exit code 1 (e.g. the data folder is locked). */
export class RuntimeFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeFailure';
  }
}
