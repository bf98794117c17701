/**
 * Sending alert messages with a bounded retry policy.
 *
 * The alerts feature sends through its own WebClient with the SDK's retries off
 * (`retryConfig: { retries: 0 }`, `rejectRateLimitedCalls: true`), so this module is the one place
 * that decides: the shared client would otherwise pause its whole queue on a 429 and keep retrying
 * for about 30 minutes, and retry network errors silently (a post whose answer was lost can be
 * sent twice). The policy here:
 *
 * - HTTP 429: wait exactly the `Retry-After` the API gave, if it is at most `maxWaitMs`, then retry;
 * - network errors, HTTP 5xx and Slack's transient errors (`internal_error`, `fatal_error`,
 *   `service_unavailable`, `request_timeout`, `ratelimited`): exponential backoff from `backoffMs`;
 * - anything else (`not_in_channel`, `channel_not_found`, `invalid_auth`…): no in-line retry, a
 *   retry cannot help until someone acts;
 * - at most `attempts` attempts. Whatever still fails is returned to the caller, which records it
 *   in the alert state (shown by `alerts`), logs it, and retries it at the next run.
 */

export interface RetryPolicy {
  attempts: number;
  /** Longest single wait, for Retry-After or backoff. A longer Retry-After gives up at once. */
  maxWaitMs: number;
  backoffMs: number;
}

export const ALERT_RETRY_POLICY: RetryPolicy = { attempts: 3, maxWaitMs: 30_000, backoffMs: 1_000 };

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

interface SlackErrorShape {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown };
  original?: { message?: unknown };
  message?: unknown;
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false };

/** A short, stable description of a failed Web API call, ending with Slack's error code when there is one. */
export function describeDeliveryError(error: unknown): string {
  const e = (error ?? {}) as SlackErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return `rate limited by Slack (Retry-After ${String(e.retryAfter)}s): ratelimited`;
    case 'slack_webapi_platform_error':
      return typeof e.data?.error === 'string' ? e.data.error : 'Slack refused the call';
    case 'slack_webapi_http_error':
      return `Slack answered HTTP ${String(e.statusCode)}`;
    case 'slack_webapi_request_error':
      return `network error: ${typeof e.original?.message === 'string' ? e.original.message : 'request failed'}`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Whether (and after how long) to try a failed call again; `attempt` is the attempt that failed (1-based). */
export function decideRetry(error: unknown, attempt: number, policy: RetryPolicy): RetryDecision {
  if (attempt >= policy.attempts) return { retry: false };
  const e = (error ?? {}) as SlackErrorShape;
  const backoff = Math.min(policy.backoffMs * 2 ** (attempt - 1), policy.maxWaitMs);
  switch (e.code) {
    case 'slack_webapi_rate_limited_error': {
      const seconds = typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : null;
      if (seconds === null) return { retry: true, waitMs: backoff };
      const waitMs = seconds * 1000;
      return waitMs <= policy.maxWaitMs ? { retry: true, waitMs } : { retry: false };
    }
    case 'slack_webapi_request_error':
      return { retry: true, waitMs: backoff };
    case 'slack_webapi_http_error':
      return typeof e.statusCode === 'number' && e.statusCode >= 500
        ? { retry: true, waitMs: backoff }
        : { retry: false };
    case 'slack_webapi_platform_error':
      return typeof e.data?.error === 'string' && TRANSIENT_PLATFORM_ERRORS.has(e.data.error)
        ? { retry: true, waitMs: backoff }
        : { retry: false };
    default:
      return { retry: false };
  }
}

export type SendResult<T> = { ok: true; value: T } | { ok: false; error: string; attempts: number };

/** Runs `send` until it succeeds or the policy says stop; never throws. */
export async function sendWithRetry<T>(
  send: () => Promise<T>,
  options: {
    policy: RetryPolicy;
    sleep: Sleep;
    onRetry?: (info: { attempt: number; waitMs: number; error: string }) => void;
  },
): Promise<SendResult<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await send() };
    } catch (error) {
      const decision = decideRetry(error, attempt, options.policy);
      const described = describeDeliveryError(error);
      if (!decision.retry) {
        return {
          ok: false,
          error: attempt === 1 ? described : `${described} (after ${attempt} attempts)`,
          attempts: attempt,
        };
      }
      options.onRetry?.({ attempt, waitMs: decision.waitMs, error: described });
      await options.sleep(decision.waitMs);
    }
  }
}
