import { HTTPException as FrameworkHTTPException, type HeadersInit } from '@portico/framework';

/** One request validation issue, in FastAPI's shape. */
export interface ValidationIssue {
  /** Where: the request part (`'query'`, `'body'`...) then the path inside it. */
  readonly loc: ReadonlyArray<string | number>;
  readonly msg: string;
  /** A stable, machine-readable kind (`missing`, `int_parsing`, `json_invalid`, ...). */
  readonly type: string;
  readonly input?: unknown;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

/**
 * An HTTP error whose `detail` may be any JSON value; an Api answers it as JSON
 * `{ "detail": ... }` with its status and headers. It is the framework's HTTPException at run
 * time (`instanceof` works both ways round for the framework's own), so framework code and
 * exception handlers keyed by status see it too.
 *
 * @example
 * throw new HTTPException(404, 'Item not found');
 * throw new HTTPException(409, { field: 'name', problem: 'taken' }, { 'x-reason': 'duplicate' });
 */
export interface HTTPException extends Omit<FrameworkHTTPException, 'detail'> {
  /** The JSON value sent as `{ "detail": ... }` (the reason phrase when none was given). */
  readonly detail: unknown;
}

export interface HTTPExceptionConstructor {
  new (statusCode: number, detail?: unknown, headers?: HeadersInit, options?: ErrorOptions): HTTPException;
  readonly prototype: HTTPException;
}

class JsonHTTPException extends FrameworkHTTPException {
  constructor(statusCode: number, detail?: unknown, headers?: HeadersInit, options?: ErrorOptions) {
    super(statusCode, detail === undefined || typeof detail === 'string' ? detail : JSON.stringify(detail), headers, options);
    // The framework types detail as text; ours keeps the JSON value itself.
    if (detail !== undefined) Object.defineProperty(this, 'detail', { value: detail, enumerable: true });
  }
}
Object.defineProperty(JsonHTTPException, 'name', { value: 'HTTPException' });

export const HTTPException: HTTPExceptionConstructor = JsonHTTPException as unknown as HTTPExceptionConstructor;

/**
 * The request did not validate: a 422 whose detail lists every issue of every part, as FastAPI's
 * `RequestValidationError`. Register an exception handler for it (`new Map([[RequestValidationError, fn]])`)
 * to change the shape.
 */
export class RequestValidationError extends JsonHTTPException {
  override readonly name: string = 'RequestValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(422, issues);
    this.issues = issues;
  }
}

/**
 * A handler returned a value its declared response schema refuses: a bug in the app, answered
 * with 500 and re-thrown for the host to log. The message names the endpoint and every issue.
 */
export class ResponseValidationError extends Error {
  override readonly name = 'ResponseValidationError';

  constructor(
    /** `GET /items/:id` */
    readonly endpoint: string,
    readonly status: number,
    readonly issues: readonly ValidationIssue[],
  ) {
    const listed = issues.map((issue) => `${issue.loc.join('.') || '(root)'}: ${issue.msg}`).join('; ');
    super(`${endpoint} returned a value that does not match its ${status} response schema: ${listed}. Fix the handler or the schema in responses[${status}], or set responseValidation: 'off'`);
  }
}

/** A dependency was used where it cannot be resolved (a lifespan dependency before startup, a cycle). */
export class DependencyError extends Error {
  override readonly name = 'DependencyError';
}

/** Two endpoints claim the same operationId; each must be unique in the OpenAPI document. */
export class DuplicateOperationIdError extends Error {
  override readonly name = 'DuplicateOperationIdError';
}
