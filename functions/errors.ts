// What can go wrong, said in the domain's terms: each failure is a class, its message Chinese and saying what to do.
// Only the HTTP edge (functions/http.ts `errorResult`) turns a class into a status code, in one table.
import type { Issue } from '../forms/types';

export interface ErrorDetails {
  /** The machine-readable code clients branch on; each class has its usual one. */
  code?: string;
  /** One entry per cell or field to fix. */
  issues?: Issue[];
  /** More fields of the error body (e.g. the current submission of a conflict). */
  extra?: Record<string, unknown>;
}

export class DomainError extends Error {
  readonly code: string;
  readonly issues?: Issue[];
  readonly extra?: Record<string, unknown>;
  constructor(defaultCode: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.code = details.code ?? defaultCode;
    this.issues = details.issues;
    this.extra = details.extra;
  }
}

/** The request cannot be read as what it claims to be (not JSON, not an object, a broken cursor). */
export class Malformed extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('bad_request', message, details);
  }
}

/** No valid token. */
export class Unauthenticated extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('unauthorized', message, details);
  }
}

/** A valid token whose unit or role may not do this. */
export class NotAllowed extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('forbidden', message, details);
  }
}

export class NotFound extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('not_found', message, details);
  }
}

/** Well-formed, but it clashes with what is stored (someone else submitted meanwhile; a reused key). */
export class Conflict extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('conflict', message, details);
  }
}

/** More than one request may carry. */
export class TooLarge extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('payload_too_large', message, details);
  }
}

/** Readable, but wrong: fields or rows to fix, listed in `issues`. */
export class Invalid extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('validation_failed', message, details);
  }
}
