/** Hostile or absurd uploads: every number finite and in range, lists and strings bounded, refusals small. */
import { describe, expect, it } from 'vitest';
import { parseRunUpload, type RunUploadInput } from '../../../src/domain/parse-run/index.js';
import { AppError } from '../../../src/errors.js';

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

const STARTED = '2026-11-02T09:00:00Z';
const call = (extra: Record<string, unknown> = {}) => ({
  timestamp: STARTED,
  endpoint: '/search',
  response_time: 0.5,
  status_code: 200,
  credits_used: 1,
  ...extra,
});
const body = (extra: Record<string, unknown>) => ({
  run_id: 'r1',
  started_at: STARTED,
  companies: [{ name: 'Acme' }],
  ...extra,
});
const json = (value: unknown): RunUploadInput => ({ text: JSON.stringify(value), format: 'json' });

describe.each([true, false])('absurd values are refused (fast path %s)', (fastPath) => {
  const parse = (input: RunUploadInput) => parseRunUpload(input, undefined, { fastPath });

  it('refuses credits_used of 1e308 on a call, naming the index and field', () => {
    const error = failure(() => parse(json(body({ api_calls: [call({ credits_used: 1e308 }), call()] }))));
    expect(error.code).toBe('upload_invalid');
    expect(error.problems).toEqual([
      {
        where: 'api_calls[0]',
        field: 'credits_used',
        message: 'expected a number from 0 to 1,000,000, got 1e+308',
      },
    ]);
  });

  it('refuses a JSON number that overflows to Infinity', () => {
    const text = JSON.stringify(body({ api_calls: [call()] })).replace(
      '"response_time":0.5',
      '"response_time":1e999',
    );
    const error = failure(() => parse({ text, format: 'json' }));
    expect(error.problems).toEqual([
      {
        where: 'api_calls[0]',
        field: 'response_time',
        message: 'expected a number of seconds from 0 to 86,400, got Infinity',
      },
    ]);
  });

  it('refuses employees of 1e300 and over-long names, industries and labels', () => {
    const error = failure(() =>
      parse(
        json(
          body({
            label: 'L'.repeat(201),
            companies: [{ name: 'N'.repeat(1001), industry: 'I'.repeat(5000), employees: 1e300 }],
          }),
        ),
      ),
    );
    expect(error.problems).toEqual([
      { where: '', field: 'label', message: 'expected at most 200 characters, got 201' },
      { where: 'companies[0]', field: 'name', message: 'expected at most 1,000 characters, got 1,001' },
      { where: 'companies[0]', field: 'industry', message: 'expected at most 1,000 characters, got 5,000' },
      {
        where: 'companies[0]',
        field: 'employees',
        message: 'expected a whole number from 0 to 10,000,000, got 1e+300',
      },
    ]);
  });

  it('accepts the bounds themselves', () => {
    const run = parse(
      json(
        body({
          label: 'L'.repeat(200),
          companies: [{ name: 'N'.repeat(1000), employees: 10_000_000 }],
          api_calls: [call({ credits_used: 1_000_000, response_time: 86_400 })],
          quality_scores: [100],
        }),
      ),
    );
    expect(run.label).toHaveLength(200);
    expect(run.api_calls[0]?.credits_used).toBe(1_000_000);
  });
});

describe('problem floods are refused early and briefly', () => {
  it('refuses a million empty API calls by their count, before looking at any of them', () => {
    const text = `{"started_at":"${STARTED}","companies":[],"api_calls":[${Array(1_000_000).fill('{}').join(',')}]}`;
    const started = performance.now();
    const error = failure(() => parseRunUpload({ text, format: 'json' }));
    // JSON.parse of a million objects is the floor (about 0.3 s on a quiet machine); generous for shared CI.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error.message).toBe('The run has 1 problem.');
    expect(error.problems).toEqual([
      { where: '', field: 'api_calls', message: 'expected at most 200,000 API calls, got 1,000,000' },
    ]);
    expect(JSON.stringify(error.problems).length).toBeLessThan(1000);
  });

  it('refuses a million quality scores by their count', () => {
    const text = `{"started_at":"${STARTED}","companies":[],"quality_scores":[${Array(1_000_000).fill('"x"').join(',')}]}`;
    const error = failure(() => parseRunUpload({ text, format: 'json' }));
    expect(error.problems).toEqual([
      {
        where: '',
        field: 'quality_scores',
        message: 'expected at most 200,000 quality scores, got 1,000,000',
      },
    ]);
  });

  it('lists 100 problems and counts the rest when a list under its limit is all wrong', () => {
    // 50,000 empty calls: each lacks timestamp, endpoint, response_time and status_code (4 problems);
    // credits_used defaults to 0. 200,000 problems in all, 100 listed.
    const text = `{"started_at":"${STARTED}","companies":[],"api_calls":[${Array(50_000).fill('{}').join(',')}]}`;
    const error = failure(() => parseRunUpload({ text, format: 'json' }));
    expect(error.message).toBe(
      'The run has 200,000 problems. The first 100 are listed; 199,900 more are not.',
    );
    expect(error.problems).toHaveLength(100);
    expect(error.unlisted).toBe(199_900);
    expect(error.problems[0]).toEqual({ where: 'api_calls[0]', field: 'timestamp', message: 'required' });
    expect(error.problems[99]).toEqual({ where: 'api_calls[24]', field: 'status_code', message: 'required' });
    expect(JSON.stringify(error.problems).length).toBeLessThan(10_000);
  });

  it('bounds problems over companies as well (100,000 companies without a name)', () => {
    const text = `{"started_at":"${STARTED}","companies":[${Array(100_000).fill('{}').join(',')}]}`;
    const error = failure(() => parseRunUpload({ text, format: 'json' }));
    expect(error.message).toBe(
      'The run has 100,000 problems. The first 100 are listed; 99,900 more are not.',
    );
    expect(error.problems).toHaveLength(100);
  });
});

describe('time sanity', () => {
  const now = new Date('2026-11-02T12:00:00Z');
  it('refuses a run dated 2099, naming started_at', () => {
    const error = failure(() =>
      parseRunUpload(json(body({ started_at: '2099-11-02T09:00:00Z' })), undefined, { now }),
    );
    expect(error.problems).toEqual([
      {
        where: '',
        field: 'started_at',
        message: 'expected a time no more than a day in the future, got 2099-11-02T09:00:00.000Z',
      },
    ]);
  });

  it('accepts a run up to a day ahead (time zones, clock skew) and refuses one just past it', () => {
    expect(
      parseRunUpload(json(body({ started_at: '2026-11-03T12:00:00Z' })), undefined, { now }).run_id,
    ).toBe('r1');
    expect(
      failure(() => parseRunUpload(json(body({ started_at: '2026-11-03T12:00:01Z' })), undefined, { now }))
        .code,
    ).toBe('upload_invalid');
  });
});
