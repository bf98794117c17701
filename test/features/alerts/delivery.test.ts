import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import {
  ALERT_RETRY_POLICY,
  decideRetry,
  describeDeliveryError,
  sendWithRetry,
} from '../../../src/features/alerts/delivery.js';

const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });

/** A send that fails with `errors` in order, then answers `value`; counts attempts. */
function scripted<T>(errors: unknown[], value: T) {
  let attempts = 0;
  return {
    get attempts() {
      return attempts;
    },
    send: async () => {
      const error = errors[attempts];
      attempts += 1;
      if (error !== undefined) throw error;
      return value;
    },
  };
}

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('the alert retry policy', () => {
  it('waits exactly Retry-After on a 429, backs off on network and 5xx errors, and never retries refusals', () => {
    const p = ALERT_RETRY_POLICY;
    expect(decideRetry(new WebAPIRateLimitedError(7), 1, p)).toEqual({ retry: true, waitMs: 7000 });
    expect(decideRetry(new WebAPIRateLimitedError(120), 1, p)).toEqual({ retry: false });
    expect(decideRetry(new WebAPIRequestError(new Error('ECONNRESET')), 1, p)).toEqual({
      retry: true,
      waitMs: 1000,
    });
    expect(decideRetry(new WebAPIRequestError(new Error('ECONNRESET')), 2, p)).toEqual({
      retry: true,
      waitMs: 2000,
    });
    expect(decideRetry(new WebAPIHTTPError(503, 'Unavailable', {}), 1, p)).toEqual({
      retry: true,
      waitMs: 1000,
    });
    expect(decideRetry(new WebAPIHTTPError(400, 'Bad', {}), 1, p)).toEqual({ retry: false });
    expect(decideRetry(platform('internal_error'), 1, p)).toEqual({ retry: true, waitMs: 1000 });
    expect(decideRetry(platform('not_in_channel'), 1, p)).toEqual({ retry: false });
    expect(decideRetry(platform('internal_error'), p.attempts, p)).toEqual({ retry: false });
  });

  it('describes failures briefly, with Slack’s code', () => {
    expect(describeDeliveryError(platform('not_in_channel'))).toBe('not_in_channel');
    expect(describeDeliveryError(new WebAPIRateLimitedError(3))).toBe(
      'rate limited by Slack (Retry-After 3s): ratelimited',
    );
    expect(describeDeliveryError(new WebAPIRequestError(new Error('socket hang up')))).toBe(
      'network error: socket hang up',
    );
    expect(describeDeliveryError(new WebAPIHTTPError(502, 'Bad Gateway', {}))).toBe(
      'Slack answered HTTP 502',
    );
  });

  it('delivers after a 429, having waited what the API asked', async () => {
    const { waits, sleep } = recordingSleep();
    const s = scripted([new WebAPIRateLimitedError(2)], { ts: '1.1' });
    const retries: string[] = [];
    const out = await sendWithRetry(s.send, {
      policy: ALERT_RETRY_POLICY,
      sleep,
      onRetry: (i) => retries.push(`${i.attempt}:${i.waitMs}:${i.error}`),
    });
    expect(out).toEqual({ ok: true, value: { ts: '1.1' } });
    expect(s.attempts).toBe(2);
    expect(waits).toEqual([2000]);
    expect(retries).toEqual(['1:2000:rate limited by Slack (Retry-After 2s): ratelimited']);
  });

  it('gives up after the last attempt and says so, never throwing', async () => {
    const { waits, sleep } = recordingSleep();
    const boom = () => new WebAPIRequestError(new Error('ECONNREFUSED'));
    const s = scripted([boom(), boom(), boom(), boom()], 'never');
    const out = await sendWithRetry(s.send, { policy: ALERT_RETRY_POLICY, sleep });
    expect(out).toEqual({ ok: false, error: 'network error: ECONNREFUSED (after 3 attempts)', attempts: 3 });
    expect(waits).toEqual([1000, 2000]);
  });

  it('does not retry a refusal in-line', async () => {
    const { waits, sleep } = recordingSleep();
    const s = scripted([platform('channel_not_found')], 'never');
    expect(await sendWithRetry(s.send, { policy: ALERT_RETRY_POLICY, sleep })).toEqual({
      ok: false,
      error: 'channel_not_found',
      attempts: 1,
    });
    expect(waits).toEqual([]);
  });
});
