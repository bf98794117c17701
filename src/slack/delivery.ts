/**
 * The one Slack delivery policy: every Web API call the app makes goes through `SlackDelivery`,
 * a wrapper around a given WebClient (one per workspace token), so one place decides
 *
 * - how long one attempt may take (`callTimeoutMs`), and how long a whole call may take with its
 *   retries and waits (`totalMs`, or a tighter `budgetMs` per call, e.g. views.open within a
 *   trigger_id's 3 s);
 * - what is retried: a 429 always (Slack refused it before doing anything), after its
 *   `Retry-After`; a refused connection always (nothing reached Slack); a timeout, a 5xx or
 *   Slack's transient errors only for calls that are safe to repeat (`safe: true`: reads, updates,
 *   upload URLs). A post whose answer was lost is never sent again here: the caller reconciles
 *   (alerts and digests look for their marker in the channel's history);
 * - 429s per key (method + channel or user): a rate-limited channel makes later calls on the same
 *   key wait (or fail at once when the wait does not fit their budget); every other key, e.g.
 *   another user's form, goes on at once. The WebClient itself must be built with
 *   `rejectRateLimitedCalls: true` and no retries (see `slackClientOptions`), or it would pause its
 *   whole queue on a 429 and retry for about 30 minutes;
 * - shutdown: `close()` ends every wait and pending call at once with `slack_unavailable`.
 */
import type { Logger } from '@slack/bolt';
import type { WebAPICallResult, WebClient } from '@slack/web-api';
import { AppError } from '../errors.js';

export interface SlackPolicy {
  /** One attempt (also the WebClient's own request timeout). */
  callTimeoutMs: number;
  /** One call with every retry and wait. */
  totalMs: number;
  /** First backoff after a transient failure; doubles. */
  backoffMs: number;
  attempts: number;
  /** After this long without an outcome, a waiting user is told "Slack is slow, still trying". */
  slowNoticeMs: number;
}

export const DEFAULT_SLACK_POLICY: SlackPolicy = {
  callTimeoutMs: 10_000,
  totalMs: 25_000,
  backoffMs: 1_000,
  attempts: 3,
  slowNoticeMs: 4_000,
};

/** What a WebClient must be built with for this policy to be the one that decides. */
export function slackClientOptions(policy: SlackPolicy): {
  timeout: number;
  retryConfig: { retries: number };
  rejectRateLimitedCalls: true;
} {
  return { timeout: policy.callTimeoutMs, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
}

/** A call that did not succeed for a reason Slack's platform did not name (timeout, 5xx, 429, shutdown). */
export class SlackCallError extends AppError {
  readonly method: string;
  /** True when Slack may have done it anyway (no answer, a 5xx): a post must be reconciled, not repeated. */
  readonly maybeDone: boolean;
  readonly reason: 'timeout' | 'rate_limited' | 'unavailable' | 'shutdown';
  constructor(options: {
    method: string;
    reason: SlackCallError['reason'];
    maybeDone: boolean;
    detail: string;
    cause?: unknown;
  }) {
    super('slack_unavailable', `Slack did not complete ${options.method}: ${options.detail}.`, {
      cause: options.cause,
    });
    this.name = 'SlackCallError';
    this.method = options.method;
    this.reason = options.reason;
    this.maybeDone = options.maybeDone;
  }
}

export function isSlackCallError(error: unknown): error is SlackCallError {
  return error instanceof SlackCallError;
}

interface SlackErrorShape {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown };
  original?: { message?: unknown; code?: unknown; cause?: { code?: unknown } };
  message?: unknown;
}

const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Connection errors that mean the request never reached Slack. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET_BEFORE_SEND']);

/** A short, stable description of a failed Web API call, ending with Slack's error code when there is one. */
export function describeDeliveryError(error: unknown): string {
  if (error instanceof SlackCallError) return error.message;
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

/** How a failed attempt is classified: retryable always, only when safe to repeat, or never. */
export type FailureKind =
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  | { kind: 'not_sent' }
  | { kind: 'uncertain' }
  | { kind: 'refused' };

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof SlackCallError) return { kind: error.maybeDone ? 'uncertain' : 'not_sent' };
  const e = (error ?? {}) as SlackErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error': {
      const s = typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : null;
      return { kind: 'rate_limited', retryAfterMs: s === null ? null : s * 1000 };
    }
    case 'slack_webapi_request_error': {
      const code = e.original?.code ?? e.original?.cause?.code;
      return typeof code === 'string' && NOT_SENT_CODES.has(code)
        ? { kind: 'not_sent' }
        : { kind: 'uncertain' };
    }
    case 'slack_webapi_http_error':
      return typeof e.statusCode === 'number' && e.statusCode >= 500
        ? { kind: 'uncertain' }
        : { kind: 'refused' };
    case 'slack_webapi_platform_error': {
      const code = e.data?.error;
      if (code === 'ratelimited') return { kind: 'rate_limited', retryAfterMs: null };
      return typeof code === 'string' && TRANSIENT_PLATFORM_ERRORS.has(code)
        ? { kind: 'uncertain' }
        : { kind: 'refused' };
    }
    default:
      return { kind: 'refused' };
  }
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false };

/**
 * Whether (and after how long) to try a failed call again. `attempt` is the attempt that failed
 * (1-based); `remainingMs` what is left of the call's budget.
 */
export function decideRetry(
  error: unknown,
  options: { attempt: number; safe: boolean; policy: SlackPolicy; remainingMs: number },
): RetryDecision {
  const { attempt, policy } = options;
  if (attempt >= policy.attempts) return { retry: false };
  const backoff = policy.backoffMs * 2 ** (attempt - 1);
  const failure = classifyFailure(error);
  let waitMs: number;
  switch (failure.kind) {
    case 'rate_limited':
      waitMs = failure.retryAfterMs ?? backoff;
      break;
    case 'not_sent':
      waitMs = backoff;
      break;
    case 'uncertain':
      if (!options.safe) return { retry: false };
      waitMs = backoff;
      break;
    case 'refused':
      return { retry: false };
  }
  // The next attempt must fit: its wait plus at least a short try.
  return waitMs + Math.min(policy.callTimeoutMs, 1_000) <= options.remainingMs
    ? { retry: true, waitMs }
    : { retry: false };
}

export interface CallOptions {
  /** Safe to repeat when the outcome is unknown (reads, chat.update, upload URLs). */
  safe: boolean;
  /** Rate-limit key beyond the method: the channel (or user) the call is about. */
  key?: string;
  /** Tighter than the policy's total, e.g. a trigger_id's life. */
  budgetMs?: number;
  /** For log lines. */
  what?: string;
}

export interface SlackDelivery {
  readonly client: WebClient;
  readonly policy: SlackPolicy;
  /** One Web API call under the policy; throws the platform error, or a `SlackCallError`. */
  call<T extends WebAPICallResult = WebAPICallResult>(
    method: string,
    args: Record<string, unknown>,
    options: CallOptions,
  ): Promise<T>;
  /** Runs any async step (an upload POST, a response_url reply) under the same timeout and shutdown. */
  within<T>(what: string, work: (signal: AbortSignal) => Promise<T>, timeoutMs?: number): Promise<T>;
  /** Ends every wait and pending call now (shutdown). */
  close(): void;
}

/** Wraps `client` (built with `slackClientOptions`) in the delivery policy. */
export function createSlackDelivery(
  client: WebClient,
  options: { policy?: Partial<SlackPolicy>; logger?: Logger; clock?: () => number } = {},
): SlackDelivery {
  const policy: SlackPolicy = { ...DEFAULT_SLACK_POLICY, ...options.policy };
  const clock = options.clock ?? (() => Date.now());
  const blockedUntil = new Map<string, number>();
  const closing = new AbortController();

  const shutdownError = (method: string) =>
    new SlackCallError({ method, reason: 'shutdown', maybeDone: true, detail: 'the app is shutting down' });

  /** Resolves after `ms`, or rejects at shutdown. */
  function wait(ms: number, method: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (closing.signal.aborted) return reject(shutdownError(method));
      const onAbort = () => {
        clearTimeout(timer);
        reject(shutdownError(method));
      };
      const timer = setTimeout(() => {
        closing.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      closing.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  function within<T>(
    what: string,
    work: (signal: AbortSignal) => Promise<T>,
    timeoutMs = policy.callTimeoutMs,
  ): Promise<T> {
    if (closing.signal.aborted) return Promise.reject(shutdownError(what));
    const attempt = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        finish();
        attempt.abort();
        reject(shutdownError(what));
      };
      const timer = setTimeout(() => {
        finish();
        attempt.abort();
        reject(
          new SlackCallError({
            method: what,
            reason: 'timeout',
            maybeDone: true,
            detail: `no answer within ${timeoutMs} ms`,
          }),
        );
      }, timeoutMs);
      closing.signal.addEventListener('abort', onAbort, { once: true });
      work(attempt.signal).then(
        (value) => {
          finish();
          resolve(value);
        },
        (error: unknown) => {
          finish();
          reject(error);
        },
      );
    });
  }

  async function call<T extends WebAPICallResult>(
    method: string,
    args: Record<string, unknown>,
    o: CallOptions,
  ): Promise<T> {
    const started = clock();
    const budget = Math.min(o.budgetMs ?? policy.totalMs, policy.totalMs);
    const key = `${method}:${o.key ?? ''}`;
    const what = o.what ?? method;
    for (let attempt = 1; ; attempt++) {
      const remaining = budget - (clock() - started);
      const blocked = (blockedUntil.get(key) ?? 0) - clock();
      if (blocked > 0) {
        if (blocked + 200 > remaining) {
          throw new SlackCallError({
            method,
            reason: 'rate_limited',
            maybeDone: false,
            detail: `rate limited for another ${Math.ceil(blocked / 1000)} s`,
          });
        }
        await wait(blocked, method);
      }
      try {
        const timeout = Math.max(1, Math.min(policy.callTimeoutMs, budget - (clock() - started)));
        return (await within(method, () => client.apiCall(method, args), timeout)) as T;
      } catch (error) {
        if (isSlackCallError(error) && error.reason === 'shutdown') throw error;
        const failure = classifyFailure(error);
        if (failure.kind === 'rate_limited') {
          blockedUntil.set(key, clock() + (failure.retryAfterMs ?? policy.backoffMs));
        }
        const decision = decideRetry(error, {
          attempt,
          safe: o.safe,
          policy,
          remainingMs: budget - (clock() - started),
        });
        const described = describeDeliveryError(error);
        if (!decision.retry) {
          if (failure.kind === 'refused' || isSlackCallError(error)) throw error;
          throw new SlackCallError({
            method,
            reason: failure.kind === 'rate_limited' ? 'rate_limited' : 'unavailable',
            maybeDone: failure.kind === 'uncertain',
            detail: attempt === 1 ? described : `${described} (after ${attempt} attempts)`,
            cause: error,
          });
        }
        options.logger?.warn(
          `Slack ${what}: attempt ${attempt} failed (${described}); retrying in ${decision.waitMs} ms.`,
        );
        if (failure.kind !== 'rate_limited') await wait(decision.waitMs, method);
      }
    }
  }

  return {
    client,
    policy,
    call,
    within,
    close() {
      closing.abort();
    },
  };
}

/** One delivery policy per WebClient (one per workspace token), all ended together at shutdown. */
export interface SlackDeliveries {
  of(client: WebClient): SlackDelivery;
  close(): void;
}

export function createSlackDeliveries(options: {
  policy?: Partial<SlackPolicy>;
  logger?: Logger;
}): SlackDeliveries {
  const byClient = new WeakMap<WebClient, SlackDelivery>();
  const all = new Set<SlackDelivery>();
  let closed = false;
  return {
    of(client) {
      let delivery = byClient.get(client);
      if (!delivery) {
        delivery = createSlackDelivery(client, options);
        if (closed) delivery.close();
        byClient.set(client, delivery);
        all.add(delivery);
      }
      return delivery;
    },
    close() {
      closed = true;
      for (const d of all) d.close();
    },
  };
}

/**
 * Runs `work` for a person who is waiting; if it has no outcome after `afterMs`, `notify` tells
 * them Slack is slow (once), and the work goes on. When they were told and it then succeeds,
 * `onLateSuccess` tells them so; a failure is the caller's to report either way.
 */
export async function withSlowNotice<T>(
  work: Promise<T>,
  options: { afterMs: number; notify: () => Promise<void>; onLateSuccess?: () => Promise<void> },
): Promise<T> {
  let done = false;
  let noticed: Promise<void> | null = null;
  const timer = setTimeout(() => {
    if (!done) noticed = options.notify().catch(() => undefined);
  }, options.afterMs);
  let value: T;
  try {
    value = await work;
  } finally {
    done = true;
    clearTimeout(timer);
  }
  if (noticed !== null) {
    await noticed;
    await options.onLateSuccess?.().catch(() => undefined);
  }
  return value;
}
