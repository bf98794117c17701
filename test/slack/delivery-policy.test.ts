import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SLACK_POLICY,
  decideRetry,
  describeDeliveryError,
  SlackCallError,
} from '../../src/slack/delivery.js';

const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });
const refused = () => {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  return new WebAPIRequestError(cause);
};
const p = DEFAULT_SLACK_POLICY;
const plenty = { policy: p, remainingMs: 60_000 };

describe('the Slack delivery policy', () => {
  it('retries a 429 after exactly Retry-After, whether or not the call is safe to repeat', () => {
    expect(decideRetry(new WebAPIRateLimitedError(7), { ...plenty, attempt: 1, safe: false })).toEqual({
      retry: true,
      waitMs: 7000,
    });
    // A wait that does not fit what is left of the budget gives up at once.
    expect(
      decideRetry(new WebAPIRateLimitedError(30), { policy: p, remainingMs: 5_000, attempt: 1, safe: false }),
    ).toEqual({ retry: false });
  });

  it('retries a refused connection (nothing reached Slack) with backoff, for any call', () => {
    expect(decideRetry(refused(), { ...plenty, attempt: 1, safe: false })).toEqual({
      retry: true,
      waitMs: 1000,
    });
    expect(decideRetry(refused(), { ...plenty, attempt: 2, safe: false })).toEqual({
      retry: true,
      waitMs: 2000,
    });
    expect(decideRetry(refused(), { ...plenty, attempt: p.attempts, safe: false })).toEqual({ retry: false });
  });

  it('repeats a timeout, a 5xx, a reset connection or a transient error only when the call is safe to repeat', () => {
    const uncertain = [
      new WebAPIHTTPError(503, 'Unavailable', {}),
      new WebAPIRequestError(new Error('socket hang up')),
      platform('internal_error'),
      new SlackCallError({ method: 'chat.update', reason: 'timeout', maybeDone: true, detail: 'late' }),
    ];
    for (const error of uncertain) {
      expect(decideRetry(error, { ...plenty, attempt: 1, safe: true })).toEqual({
        retry: true,
        waitMs: 1000,
      });
      expect(decideRetry(error, { ...plenty, attempt: 1, safe: false })).toEqual({ retry: false });
    }
  });

  it('never retries what Slack refused', () => {
    for (const error of [
      platform('not_in_channel'),
      platform('expired_trigger_id'),
      new WebAPIHTTPError(400, 'Bad', {}),
    ])
      expect(decideRetry(error, { ...plenty, attempt: 1, safe: true })).toEqual({ retry: false });
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
});
