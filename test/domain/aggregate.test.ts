import { describe, expect, it } from 'vitest';
import {
  aggregateRun,
  emptyTotals,
  headlineOf,
  mergeAggregates,
  type RunAggregate,
  sumHeadlines,
} from '../../src/domain/aggregate.js';
import { isSuccessStatus, scoreBucketOf, sizeBandOf } from '../../src/domain/model.js';
import { makeCall, makeCompany, makeRun, mixedRun } from '../helpers/factories.js';

const T0 = Date.parse('2026-11-20T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

describe('model helpers', () => {
  it('puts employee counts in their bands at the edges', () => {
    expect(
      [1, 10, 11, 50, 51, 200, 201, 500, 501, 1000, 1001, 5000, 5001, 10000, 10001, 250000].map(sizeBandOf),
    ).toEqual([
      '1-10',
      '1-10',
      '11-50',
      '11-50',
      '51-200',
      '51-200',
      '201-500',
      '201-500',
      '501-1000',
      '501-1000',
      '1001-5000',
      '1001-5000',
      '5001-10000',
      '5001-10000',
      '10001+',
      '10001+',
    ]);
  });

  it('calls a missing, zero or non-finite head count Unknown', () => {
    expect([undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY].map(sizeBandOf)).toEqual([
      'Unknown',
      'Unknown',
      'Unknown',
      'Unknown',
      'Unknown',
    ]);
  });

  it('buckets fractional scores half-open', () => {
    expect([100, 90, 89.99, 89.5, 80, 79.5, 70, 69.9, 60, 59.99, 50, 49.9, 0].map(scoreBucketOf)).toEqual([
      '90-100',
      '90-100',
      '80-89',
      '80-89',
      '80-89',
      '70-79',
      '70-79',
      '60-69',
      '60-69',
      '50-59',
      '50-59',
      '0-49',
      '0-49',
    ]);
  });

  it('counts every 2xx as a success and nothing else', () => {
    expect([199, 200, 201, 204, 299, 300, 302, 404, 429, 500].map(isSuccessStatus)).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('aggregateRun', () => {
  it('computes every per-run figure in one pass', () => {
    expect(aggregateRun(mixedRun)).toEqual({
      v: 1,
      run_id: 'mixed',
      started_at: '2026-11-20T09:00:00.000Z',
      label: 'Weekly',
      companies: 6,
      qualified: 5,
      scored: 5,
      tiers: {
        'Tier 1': { count: 2, scored: 2, score_sum: 190, min: 95, max: 95 },
        'Tier 2': { count: 2, scored: 2, score_sum: 169.5, min: 80, max: 89.5 },
        'Tier 3': { count: 1, scored: 0, score_sum: 0, min: null, max: null },
        Unqualified: { count: 1, scored: 1, score_sum: 49.9, min: 49.9, max: 49.9 },
      },
      scores: [
        [49.9, 1],
        [80, 1],
        [89.5, 1],
        [95, 2],
      ],
      industries: {
        Software: { count: 3, scored: 3, score_sum: 279.5, high_scorers: 3, tier_1: 2, qualified: 3 },
        Unknown: { count: 1, scored: 1, score_sum: 49.9, high_scorers: 0, tier_1: 0, qualified: 0 },
        Fintech: { count: 2, scored: 1, score_sum: 80, high_scorers: 1, tier_1: 0, qualified: 2 },
      },
      sizes: {
        '1-10': { count: 1, scored: 1, score_sum: 95, high_scorers: 1, tier_1: 1, qualified: 1 },
        '11-50': { count: 1, scored: 1, score_sum: 89.5, high_scorers: 1, tier_1: 0, qualified: 1 },
        '5001-10000': { count: 1, scored: 1, score_sum: 49.9, high_scorers: 0, tier_1: 0, qualified: 0 },
        '10001+': { count: 1, scored: 0, score_sum: 0, high_scorers: 0, tier_1: 0, qualified: 1 },
        Unknown: { count: 2, scored: 2, score_sum: 175, high_scorers: 2, tier_1: 1, qualified: 2 },
      },
      countries: {
        'United States': { count: 3, scored: 3, score_sum: 279.5, high_scorers: 3, tier_1: 2, qualified: 3 },
        Germany: { count: 1, scored: 1, score_sum: 49.9, high_scorers: 0, tier_1: 0, qualified: 0 },
        Unknown: { count: 2, scored: 1, score_sum: 80, high_scorers: 1, tier_1: 0, qualified: 2 },
      },
      campaigns: { Email: 2, LinkedIn: 1, Content: 1, Unassigned: 2 },
      quality: { count: 3, sum: 2.25 },
      api: {
        source: 'calls',
        total: 5,
        successful: 3,
        failed: 2,
        rt_sum: 4,
        credits: 3,
        rate_limited: 1,
        peak_per_minute: 4,
        endpoints: {
          search: {
            total: 3,
            successful: 2,
            failed: 1,
            rt_sum: 1.5,
            max_rt: 1,
            credits: 2,
            rate_limited: 1,
            status_codes: { '200': 1, '201': 1, '429': 1 },
          },
          enrich: {
            total: 2,
            successful: 1,
            failed: 1,
            rt_sum: 2.5,
            max_rt: 2.5,
            credits: 1,
            rate_limited: 0,
            status_codes: { '204': 1, '500': 1 },
          },
        },
      },
    });
  });

  it('aggregates an empty run to zeros, without a label', () => {
    const a = aggregateRun(makeRun());
    expect(a).toEqual({ v: 1, run_id: 'run-1', started_at: '2026-11-20T09:00:00.000Z', ...emptyTotals() });
    expect('label' in a).toBe(false);
    expect(a.api.source).toBe('none');
    expect(a.api.peak_per_minute).toBeNull();
  });

  it('keeps an unscored company out of the score multiset but counts it', () => {
    const a = aggregateRun(
      makeRun({ companies: [makeCompany({ tier: 'Tier 1' }), makeCompany({ icp_score: 0 })] }),
    );
    expect(a.companies).toBe(2);
    expect(a.scored).toBe(1);
    expect(a.scores).toEqual([[0, 1]]);
    expect(a.tiers['Tier 1']).toEqual({ count: 1, scored: 0, score_sum: 0, min: null, max: null });
    expect(a.industries.Unknown).toEqual({
      count: 2,
      scored: 1,
      score_sum: 0,
      high_scorers: 0,
      tier_1: 1,
      qualified: 1,
    });
  });
});

describe('peak requests in a 60-second window', () => {
  const peakOf = (seconds: number[]) =>
    aggregateRun(makeRun({ api_calls: seconds.map((s) => makeCall({ timestamp: at(s) })) })).api
      .peak_per_minute;

  it('finds the busiest window: 0, 10, 59.9, 60, 61 s → 4', () => {
    expect(peakOf([0, 10, 59.9, 60, 61])).toBe(4);
  });

  it('lets a call exactly 60 s after the first fall out of its window', () => {
    expect(peakOf([0, 60])).toBe(1);
    expect(peakOf([0, 59.999, 60])).toBe(2);
    expect(peakOf([0, 60, 120, 180])).toBe(1);
  });

  it('does not depend on the order of the log', () => {
    expect(peakOf([61, 0, 60, 10, 59.9])).toBe(4);
  });

  it('counts calls at the same instant together', () => {
    expect(peakOf([5, 5, 5, 100])).toBe(3);
  });

  it('is 1 for a single call', () => {
    expect(peakOf([0])).toBe(1);
  });
});

describe('runs that report only api_metrics', () => {
  it('derives counts and the response-time sum from the summary figures', () => {
    const a = aggregateRun(
      makeRun({
        api_metrics: {
          total_calls: 200,
          success_rate: 0.9,
          avg_response_time: 1.5,
          credits_used: 300,
          error_rate: 0.1,
        },
      }),
    );
    expect(a.api).toEqual({
      source: 'metrics',
      total: 200,
      successful: 180,
      failed: 20,
      rt_sum: 270,
      credits: 300,
      rate_limited: 0,
      peak_per_minute: null,
      endpoints: {},
    });
  });

  it('keeps the credits of a run that reports zero calls', () => {
    const a = aggregateRun(
      makeRun({
        api_metrics: {
          total_calls: 0,
          success_rate: 0,
          avg_response_time: 0,
          credits_used: 12,
          error_rate: 0,
        },
      }),
    );
    expect(a.api).toEqual({
      source: 'metrics',
      total: 0,
      successful: 0,
      failed: 0,
      rt_sum: 0,
      credits: 12,
      rate_limited: 0,
      peak_per_minute: null,
      endpoints: {},
    });
  });

  it('prefers the call log when a run has both', () => {
    const a = aggregateRun(
      makeRun({
        api_calls: [makeCall({ credits_used: 2 })],
        api_metrics: {
          total_calls: 50,
          success_rate: 0.5,
          avg_response_time: 9,
          credits_used: 99,
          error_rate: 0.5,
        },
      }),
    );
    expect(a.api.source).toBe('calls');
    expect(a.api.total).toBe(1);
    expect(a.api.credits).toBe(2);
    expect(a.api.peak_per_minute).toBe(1);
  });
});

describe('mergeAggregates', () => {
  const r1 = aggregateRun(
    makeRun({
      run_id: 'r1',
      started_at: '2026-11-01T00:00:00.000Z',
      companies: [
        makeCompany({ industry: 'Software', icp_score: 10, tier: 'Tier 3', campaign: 'Email' }),
        makeCompany({ industry: 'Software', icp_score: 20, tier: 'Tier 3' }),
      ],
      api_calls: [
        makeCall({ timestamp: '2026-11-01T00:00:00.000Z', endpoint: 'search', response_time: 0.1 }),
        makeCall({ timestamp: '2026-11-01T00:00:30.000Z', endpoint: 'search', status_code: 429 }),
      ],
      quality_scores: [0.5],
    }),
  );
  const r2 = aggregateRun(
    makeRun({
      run_id: 'r2',
      started_at: '2026-11-02T00:00:00.000Z',
      companies: [
        makeCompany({ industry: 'Retail', icp_score: 30, tier: 'Tier 3' }),
        makeCompany({ industry: 'Software', icp_score: 40, tier: 'Tier 1', campaign: 'Content' }),
      ],
      api_metrics: {
        total_calls: 10,
        success_rate: 0.8,
        avg_response_time: 2,
        credits_used: 7,
        error_rate: 0.2,
      },
    }),
  );
  const r3 = aggregateRun(
    makeRun({
      run_id: 'r3',
      started_at: '2026-11-03T00:00:00.000Z',
      companies: [makeCompany({ industry: 'Retail', icp_score: 20 })],
      api_calls: [
        makeCall({
          timestamp: '2026-11-03T00:00:00.000Z',
          endpoint: 'search',
          response_time: 0.2,
          status_code: 200,
        }),
        makeCall({
          timestamp: '2026-11-03T00:00:01.000Z',
          endpoint: 'enrich',
          response_time: 0.7,
          status_code: 200,
        }),
        makeCall({
          timestamp: '2026-11-03T00:00:02.000Z',
          endpoint: 'enrich',
          response_time: 5,
          status_code: 503,
        }),
      ],
      quality_scores: [1],
    }),
  );

  it('sums counts, merges score multisets and keeps the largest peak', () => {
    const t = mergeAggregates([r1, r2, r3]);
    expect(t.companies).toBe(5);
    expect(t.qualified).toBe(4);
    expect(t.scored).toBe(5);
    expect(t.scores).toEqual([
      [10, 1],
      [20, 2],
      [30, 1],
      [40, 1],
    ]);
    expect(t.tiers['Tier 3']).toEqual({ count: 3, scored: 3, score_sum: 60, min: 10, max: 30 });
    expect(t.tiers['Tier 1']).toEqual({ count: 1, scored: 1, score_sum: 40, min: 40, max: 40 });
    expect(t.tiers.Unqualified).toEqual({ count: 1, scored: 1, score_sum: 20, min: 20, max: 20 });
    expect(t.industries).toEqual({
      Software: { count: 3, scored: 3, score_sum: 70, high_scorers: 0, tier_1: 1, qualified: 3 },
      Retail: { count: 2, scored: 2, score_sum: 50, high_scorers: 0, tier_1: 0, qualified: 1 },
    });
    expect(t.campaigns).toEqual({ Email: 1, LinkedIn: 0, Content: 1, Unassigned: 3 });
    expect(t.quality).toEqual({ count: 2, sum: 1.5 });
    expect(t.api.source).toBe('calls');
    // 2 + 10 + 3 calls; successes 1 + 8 + 2; rt 0.1 + 8×2 + 0.9.
    expect(t.api.total).toBe(15);
    expect(t.api.successful).toBe(11);
    expect(t.api.failed).toBe(4);
    expect(t.api.rt_sum).toBeCloseTo(17, 9);
    expect(t.api.credits).toBe(2 + 7 + 3);
    expect(t.api.rate_limited).toBe(1);
    expect(t.api.peak_per_minute).toBe(3);
    expect(t.api.endpoints.search).toEqual({
      total: 3,
      successful: 2,
      failed: 1,
      rt_sum: expect.closeTo(0.3, 9),
      max_rt: 0.2,
      credits: 3,
      rate_limited: 1,
      status_codes: { '200': 2, '429': 1 },
    });
    expect(t.api.endpoints.enrich).toEqual({
      total: 2,
      successful: 1,
      failed: 1,
      rt_sum: 0.7,
      max_rt: 0.7,
      credits: 2,
      rate_limited: 0,
      status_codes: { '200': 1, '503': 1 },
    });
  });

  it('gives the same totals whatever order the aggregates come in', () => {
    const orders: RunAggregate[][] = [
      [r1, r2, r3],
      [r3, r2, r1],
      [r2, r3, r1],
    ];
    const [first, ...rest] = orders.map((o) => mergeAggregates(o));
    for (const other of rest) expect(other).toEqual(first);
  });

  it('does not mutate the aggregates it merges', () => {
    const before = structuredClone(r1);
    mergeAggregates([r1, r1]);
    expect(r1).toEqual(before);
  });

  it('is metrics-only when no run carried a call log, and none when no run reported the API', () => {
    expect(mergeAggregates([r2]).api.source).toBe('metrics');
    expect(mergeAggregates([r2]).api.peak_per_minute).toBeNull();
    expect(mergeAggregates([aggregateRun(makeRun())]).api.source).toBe('none');
    expect(mergeAggregates([])).toEqual(emptyTotals());
  });
});

describe('headlines', () => {
  it('takes the trend figures from totals and sums them', () => {
    const h = headlineOf(aggregateRun(mixedRun));
    expect(h).toEqual({
      companies: 6,
      qualified: 5,
      tier_1: 2,
      api_total: 5,
      api_successful: 3,
      api_rt_sum: 4,
      credits: 3,
    });
    expect(sumHeadlines([h, h])).toEqual({
      companies: 12,
      qualified: 10,
      tier_1: 4,
      api_total: 10,
      api_successful: 6,
      api_rt_sum: 8,
      credits: 6,
    });
    expect(sumHeadlines([])).toEqual({
      companies: 0,
      qualified: 0,
      tier_1: 0,
      api_total: 0,
      api_successful: 0,
      api_rt_sum: 0,
      credits: 0,
    });
  });
});
