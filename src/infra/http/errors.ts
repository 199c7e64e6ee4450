/** Errors a client can act on; anything else is a 500 with the details kept in the log. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'BAD_REQUEST', message, details)
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super(401, 'UNAUTHORIZED', message)
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed') {
    super(403, 'FORBIDDEN', message)
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string | number, details?: unknown) {
    super(404, 'NOT_FOUND', `${what} ${id} not found`, details)
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'CONFLICT', message, details)
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, details?: unknown) {
    super(429, 'RATE_LIMITED', message, details)
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'UNAVAILABLE', message)
  }
}

/** Input the schemas let through but nothing can store; shaped like a schema failure. */
export class InvalidInputError extends AppError {
  constructor(where: string, path: string, message: string) {
    super(400, 'VALIDATION_FAILED', `${where}${path} ${message}`, [{ where, path: path || '/', message }])
  }
}
