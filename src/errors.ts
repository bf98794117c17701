/** One error family with stable codes, so callers branch on `code`, never on message text. */
export type ErrorCode =
  | 'config_invalid'
  | 'upload_invalid'
  | 'upload_too_large'
  | 'store_unavailable'
  | 'not_found'
  | 'forbidden'
  | 'bad_command';

export interface FieldProblem {
  /** "row 3" (CSV line), "companies[2]" (JSON index) or "" for the whole input. */
  where: string;
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly problems: FieldProblem[];
  constructor(
    code: ErrorCode,
    message: string,
    options: { problems?: FieldProblem[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.problems = options.problems ?? [];
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
