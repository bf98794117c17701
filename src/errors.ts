/** One error family with stable codes, so callers branch on `code`, never on message text. */
export type ErrorCode =
  | 'config_invalid'
  | 'upload_invalid'
  | 'upload_too_large'
  | 'store_unavailable'
  | 'not_found'
  | 'forbidden'
  | 'bad_command'
  /** Too much work is queued (uploads): answered 503 with Retry-After, "busy, try again". */
  | 'busy'
  /** The workspace of the bot token is not known yet (Slack unreachable since start-up). */
  | 'workspace_unknown'
  | 'slack_unavailable';

export interface FieldProblem {
  /** "row 3" (CSV line), "companies[2]" (JSON index) or "" for the whole input. */
  where: string;
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly problems: FieldProblem[];
  /** Problems found but not listed in `problems` (a refusal lists a bounded number). */
  readonly unlisted: number;
  constructor(
    code: ErrorCode,
    message: string,
    options: { problems?: FieldProblem[]; unlisted?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.problems = options.problems ?? [];
    this.unlisted = options.unlisted ?? 0;
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/** What a person is told when the failure is ours: never a stack, a body or a secret. */
export const GENERIC_FAILURE = 'Something went wrong on our side; it has been logged.';

export const ADMIN_REFUSAL = 'Only the app admins (ADMIN_USER_IDS) can do that. Ask one of them.';

/**
 * The one table from an error code to what the user sees and to the HTTP status. `user: 'message'`
 * shows the error's own (raw, unescaped) words; `'generic'` shows GENERIC_FAILURE. Anything that is
 * not an AppError is `generic` and 503.
 */
export const ERROR_TABLE: Record<ErrorCode, { user: 'message' | 'generic'; status: number }> = {
  config_invalid: { user: 'generic', status: 500 },
  upload_invalid: { user: 'message', status: 400 },
  upload_too_large: { user: 'message', status: 413 },
  store_unavailable: { user: 'message', status: 503 },
  not_found: { user: 'message', status: 404 },
  forbidden: { user: 'message', status: 403 },
  bad_command: { user: 'message', status: 400 },
  busy: { user: 'message', status: 503 },
  workspace_unknown: { user: 'message', status: 503 },
  slack_unavailable: { user: 'message', status: 503 },
};

/** The words a person sees for a failure (raw text: renderers escape it). */
export function userMessageOf(error: unknown): string {
  return isAppError(error) && ERROR_TABLE[error.code].user === 'message' ? error.message : GENERIC_FAILURE;
}

/** The HTTP status an API client gets for a failure. */
export function httpStatusOf(error: unknown): number {
  return isAppError(error) ? ERROR_TABLE[error.code].status : 503;
}

/** Errors answered before the ack, with the usage: the user typed something we can't do. */
export function isUsageError(error: unknown): error is AppError {
  return isAppError(error, 'bad_command') || isAppError(error, 'forbidden');
}
