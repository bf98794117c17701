import { describe, expect, it } from 'vitest';
import { aggregateRun } from '../../src/domain/aggregate.js';
import { computeDashboard, type DashboardModel, medianOf } from '../../src/domain/dashboard.js';
import type { Company, Run } from '../../src/domain/model.js';
import type { PeriodInfo } from '../../src/domain/period.js';
import {
  ALL_PERIOD,
  calls,
  companies,
  dashboardOf,
  FIXED_NOW,
  makeCall,
  makeCompany,
  makeMeta,
  makeRun,
  mixedRun,
} from '../helpers/factories.js';

const T0 = Date.parse('2026-11-20T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** Every number anywhere in the model, with its path. */
function numbersIn(value: unknown, path = '$'): Array<[string, number]> {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

function expectFiniteJson(model: DashboardModel): void {
  const bad = numbersIn(model).filter(([, n]) => !Number.isFinite(n));
  expect(bad).toEqual([]);
  // JSON would turn NaN/Infinity into null silently: the round trip must be lossless.
  expect(JSON.parse(JSON.stringify(model))).toEqual(model);
}

/**
 * `qualified` of `total` companies qualified (Tier 1), the rest unqualified; all scored 50 in one
 * industry, so no recommendation other than the qualification rate's can fire.
 */
function rateRun(qualified: number, total: number, extra: Partial<Run> = {}): Run {
  return makeRun({
    companies: companies(total, (i) => ({
      name: `c${i}`,
      industry: 'Software',
      icp_score: 50,
      tier: i < qualified ? 'Tier 1' : 'Unqualified',
    })),
    ...extra,
  });
}

describe('computeDashboard: one mixed run, every section', () => {
  it('matches the hand-computed model', () => {
    const model = dashboardOf([mixedRun]);
    // toMatchObject: every figure below is exact, but other features (campaign results, the funnel)
    // add their own keys beside these sections; they are tested with those features.
    expect(model).toMatchObject({
      version: 1,
      generated_at: '2026-11-24T00:00:00.000Z',
      period: ALL_PERIOD,
      runs: {
        count: 1,
        first_started_at: '2026-11-20T09:00:00.000Z',
        last_started_at: '2026-11-20T09:00:00.000Z',
      },
      executive_summary: {
        total_companies_discovered: 6,
        total_companies_qualified: 5,
        qualification_rate: 0.833333,
        tier_1_targets: 2,
        tier_2_targets: 2,
        tier_3_targets: 1,
        high_priority_opportunities: 2,
        overall_performance: 'Excellent',
      },
      search_performance: {
        source: 'calls',
        total_calls: 5,
        successful_calls: 3,
        failed_calls: 2,
        success_rate: 0.6,
        average_response_time: 1.333333,
        total_credits_used: 3,
        error_rate: 0.4,
        rate_limited_calls: 1,
        rate_limit_status: { rate_limit: 100, peak_requests_per_minute: 4, peak_usage: 0.04 },
        endpoints: [
          {
            endpoint: 'search',
            total_calls: 3,
            successful_calls: 2,
            failed_calls: 1,
            success_rate: 0.666667,
            average_response_time: 0.75,
            max_response_time: 1,
            credits_used: 2,
            rate_limited_calls: 1,
            status_codes: { '200': 1, '201': 1, '429': 1 },
          },
          {
            endpoint: 'enrich',
            total_calls: 2,
            successful_calls: 1,
            failed_calls: 1,
            success_rate: 0.5,
            average_response_time: 2.5,
            max_response_time: 2.5,
            credits_used: 1,
            rate_limited_calls: 0,
            status_codes: { '204': 1, '500': 1 },
          },
        ],
        performance_issues: [
          'Low API success rate - check API key and rate limits (60.0% < 95%)',
          'High error rate - review API usage patterns (40.0% > 5%)',
          // 1 of the 5 calls got a 429: 20 % of calls, above the 1 % share the alerts also use.
          'Rate-limited calls - honour retry-after and pace requests (20.0% of calls got 429 > 1.0%)',
        ],
      },
      qualification_analytics: {
        score_distribution: {
          scored: 5,
          unscored: 1,
          min_score: 49.9,
          max_score: 95,
          average_score: 81.88,
          median_score: 89.5,
          score_ranges: { '90-100': 2, '80-89': 2, '70-79': 0, '60-69': 0, '50-59': 0, '0-49': 1 },
        },
        tier_breakdown: {
          'Tier 1': { count: 2, share: 0.333333, scored: 2, average_score: 95, min_score: 95, max_score: 95 },
          'Tier 2': {
            count: 2,
            share: 0.333333,
            scored: 2,
            average_score: 84.75,
            min_score: 80,
            max_score: 89.5,
          },
          'Tier 3': {
            count: 1,
            share: 0.166667,
            scored: 0,
            average_score: null,
            min_score: null,
            max_score: null,
          },
          Unqualified: {
            count: 1,
            share: 0.166667,
            scored: 1,
            average_score: 49.9,
            min_score: 49.9,
            max_score: 49.9,
          },
        },
        quality_score: { count: 3, average: 0.75 },
        industry_analysis: [
          {
            name: 'Software',
            count: 3,
            share: 0.5,
            scored: 3,
            average_score: 93.166667,
            high_scorers: 3,
            tier_1_count: 2,
          },
          {
            name: 'Fintech',
            count: 2,
            share: 0.333333,
            scored: 1,
            average_score: 80,
            high_scorers: 1,
            tier_1_count: 0,
          },
          {
            name: 'Unknown',
            count: 1,
            share: 0.166667,
            scored: 1,
            average_score: 49.9,
            high_scorers: 0,
            tier_1_count: 0,
          },
        ],
        size_analysis: [
          {
            name: '1-10',
            count: 1,
            share: 0.166667,
            scored: 1,
            average_score: 95,
            high_scorers: 1,
            tier_1_count: 1,
          },
          {
            name: '11-50',
            count: 1,
            share: 0.166667,
            scored: 1,
            average_score: 89.5,
            high_scorers: 1,
            tier_1_count: 0,
          },
          {
            name: '5001-10000',
            count: 1,
            share: 0.166667,
            scored: 1,
            average_score: 49.9,
            high_scorers: 0,
            tier_1_count: 0,
          },
          {
            name: '10001+',
            count: 1,
            share: 0.166667,
            scored: 0,
            average_score: null,
            high_scorers: 0,
            tier_1_count: 0,
          },
          {
            name: 'Unknown',
            count: 2,
            share: 0.333333,
            scored: 2,
            average_score: 87.5,
            high_scorers: 2,
            tier_1_count: 1,
          },
        ],
        geographic_analysis: [
          {
            name: 'United States',
            count: 3,
            share: 0.5,
            scored: 3,
            average_score: 93.166667,
            high_scorers: 3,
            tier_1_count: 2,
          },
          {
            name: 'Germany',
            count: 1,
            share: 0.166667,
            scored: 1,
            average_score: 49.9,
            high_scorers: 0,
            tier_1_count: 0,
          },
          // Unknown sorts last even though it has more companies than Germany.
          {
            name: 'Unknown',
            count: 2,
            share: 0.333333,
            scored: 1,
            average_score: 80,
            high_scorers: 1,
            tier_1_count: 0,
          },
        ],
      },
      campaign_performance: {
        companies_assigned: 4,
        campaign_distribution: { Email: 2, LinkedIn: 1, Content: 1, Unassigned: 2 },
      },
      recommendations: [
        {
          area: 'api',
          message:
            'Improve API reliability - check rate limits and error handling: success rate is 60.0%, below 95%.',
          metric: 'success_rate',
          value: 0.6,
          threshold: 0.95,
        },
        {
          area: 'api',
          message: 'Review API usage patterns: error rate is 40.0%, above 5%; most failures on search (1).',
          metric: 'error_rate',
          value: 0.4,
          threshold: 0.05,
        },
        {
          area: 'api',
          message:
            'Back off when Apollo throttles: 1 call was rate-limited (HTTP 429), 20.0% of calls (alert above 1.0%); honour retry-after and pace requests.',
          metric: 'rate_limited_calls',
          value: 1,
          threshold: 0,
        },
        {
          area: 'qualification',
          message: 'Score every company: 1 of 6 have no ICP score and are left out of score statistics.',
          metric: 'unscored',
          value: 1,
          threshold: 0,
        },
      ],
      trends: {
        previous_period: null,
        qualification_rate: {
          current: 0.833333,
          previous: null,
          change: null,
          direction: 'Insufficient data',
        },
        api_success_rate: { current: 0.6, previous: null, change: null, direction: 'Insufficient data' },
        average_response_time: {
          current: 1.333333,
          previous: null,
          change: null,
          direction: 'Insufficient data',
        },
        qualification_rate_sparkline: {
          runs: [{ run_id: 'mixed', started_at: '2026-11-20T09:00:00.000Z', qualification_rate: 0.833333 }],
          chart: '▄',
        },
      },
    });
    expectFiniteJson(model);
  });
});

describe('executive summary: overall performance at the seed thresholds', () => {
  const cases: Array<[number, number, number, string]> = [
    [16, 100, 0.16, 'Excellent'],
    [15, 100, 0.15, 'Good'],
    [3, 20, 0.15, 'Good'],
    [11, 100, 0.11, 'Good'],
    [10, 100, 0.1, 'Needs Improvement'],
    [1, 10, 0.1, 'Needs Improvement'],
    [0, 5, 0, 'Needs Improvement'],
    [5, 5, 1, 'Excellent'],
  ];
  for (const [qualified, total, rate, label] of cases) {
    it(`${qualified}/${total} qualified → ${rate} → ${label}`, () => {
      const s = dashboardOf([rateRun(qualified, total)]).executive_summary;
      expect(s.qualification_rate).toBe(rate);
      expect(s.overall_performance).toBe(label);
      expect(s.total_companies_qualified).toBe(qualified);
      expect(s.total_companies_discovered).toBe(total);
    });
  }

  it('counts each tier and calls Tier 1 the high-priority opportunities', () => {
    const run = makeRun({
      companies: [
        ...companies(3, () => ({ tier: 'Tier 1' })),
        ...companies(4, () => ({ tier: 'Tier 2' })),
        ...companies(5, () => ({ tier: 'Tier 3' })),
        ...companies(8, () => ({ tier: 'Unqualified' })),
      ],
    });
    expect(dashboardOf([run]).executive_summary).toEqual({
      total_companies_discovered: 20,
      total_companies_qualified: 12,
      qualification_rate: 0.6,
      tier_1_targets: 3,
      tier_2_targets: 4,
      tier_3_targets: 5,
      high_priority_opportunities: 3,
      overall_performance: 'Excellent',
    });
  });
});

describe('search performance', () => {
  it('measures a run that sent only api_metrics', () => {
    const run = makeRun({
      api_metrics: {
        total_calls: 200,
        success_rate: 0.9,
        avg_response_time: 2.5,
        credits_used: 300,
        error_rate: 0.1,
      },
    });
    const model = dashboardOf([run]);
    expect(model.search_performance).toEqual({
      source: 'metrics',
      total_calls: 200,
      successful_calls: 180,
      failed_calls: 20,
      success_rate: 0.9,
      average_response_time: 2.5,
      total_credits_used: 300,
      error_rate: 0.1,
      rate_limited_calls: 0,
      rate_limit_status: { rate_limit: 100, peak_requests_per_minute: null, peak_usage: null },
      endpoints: [],
      performance_issues: [
        'Low API success rate - check API key and rate limits (90.0% < 95%)',
        'Slow API response times - consider optimizing requests (2.50s > 2.00s)',
        'High error rate - review API usage patterns (10.0% > 5%)',
      ],
    });
    expect(model.recommendations.map((r) => r.message)).toEqual([
      'Improve API reliability - check rate limits and error handling: success rate is 90.0%, below 95%.',
      'Optimize API calls - consider batching or parallel processing: average response time is 2.50s, above 2.00s.',
      'Review API usage patterns: error rate is 10.0%, above 5%.',
    ]);
    expectFiniteJson(model);
  });

  it('has no rates, and no NaN, for metrics with zero calls', () => {
    const run = makeRun({
      api_metrics: { total_calls: 0, success_rate: 0, avg_response_time: 0, credits_used: 4, error_rate: 0 },
    });
    const model = dashboardOf([run]);
    expect(model.search_performance).toMatchObject({
      source: 'metrics',
      total_calls: 0,
      success_rate: null,
      error_rate: null,
      average_response_time: null,
      total_credits_used: 4,
      performance_issues: [],
    });
    expectFiniteJson(model);
  });

  it('says none when no run reported the API', () => {
    const sp = dashboardOf([rateRun(1, 2)]).search_performance;
    expect(sp).toEqual({
      source: 'none',
      total_calls: 0,
      successful_calls: 0,
      failed_calls: 0,
      success_rate: null,
      average_response_time: null,
      total_credits_used: 0,
      error_rate: null,
      rate_limited_calls: 0,
      rate_limit_status: { rate_limit: 100, peak_requests_per_minute: null, peak_usage: null },
      endpoints: [],
      performance_issues: [],
    });
  });

  it('raises no issue exactly at the thresholds: 95% success, 5% errors, 2.00 s', () => {
    // 19 successes of 2.0 s and one failure of 30 s (failures do not count toward the mean).
    const run = makeRun({
      api_calls: calls(20, (i) =>
        i === 0 ? { status_code: 500, response_time: 30 } : { status_code: 200, response_time: 2 },
      ),
    });
    const sp = dashboardOf([run], { settings: { rate_limit: 1000 } }).search_performance;
    expect(sp.success_rate).toBe(0.95);
    expect(sp.error_rate).toBe(0.05);
    expect(sp.average_response_time).toBe(2);
    expect(sp.performance_issues).toEqual([]);
  });

  it('raises every issue just past the thresholds', () => {
    // 18 of 20 succeed (90%), errors 10%, successful calls average 2.01 s.
    const run = makeRun({
      api_calls: calls(20, (i) =>
        i < 2 ? { status_code: 503, response_time: 0.1 } : { status_code: 200, response_time: 2.01 },
      ),
    });
    const sp = dashboardOf([run], { settings: { rate_limit: 1000 } }).search_performance;
    expect(sp.performance_issues).toEqual([
      'Low API success rate - check API key and rate limits (90.0% < 95%)',
      'Slow API response times - consider optimizing requests (2.01s > 2.00s)',
      'High error rate - review API usage patterns (10.0% > 5%)',
    ]);
  });

  it('sorts endpoints by calls, then name, with per-endpoint status codes', () => {
    const run = makeRun({
      api_calls: [
        makeCall({ timestamp: at(0), endpoint: 'b', status_code: 200 }),
        makeCall({ timestamp: at(1), endpoint: 'a', status_code: 429 }),
        makeCall({ timestamp: at(2), endpoint: 'c', status_code: 200, response_time: 0.4 }),
        makeCall({ timestamp: at(3), endpoint: 'c', status_code: 200, response_time: 0.2 }),
        makeCall({ timestamp: at(4), endpoint: 'c', status_code: 422, response_time: 9 }),
      ],
    });
    const eps = dashboardOf([run]).search_performance.endpoints;
    expect(eps.map((e) => e.endpoint)).toEqual(['c', 'a', 'b']);
    expect(eps[0]).toEqual({
      endpoint: 'c',
      total_calls: 3,
      successful_calls: 2,
      failed_calls: 1,
      success_rate: 0.666667,
      average_response_time: 0.3,
      max_response_time: 0.4,
      credits_used: 3,
      rate_limited_calls: 0,
      status_codes: { '200': 2, '422': 1 },
    });
    // An endpoint with no successful call has no response time rather than 0.
    expect(eps[1]).toEqual({
      endpoint: 'a',
      total_calls: 1,
      successful_calls: 0,
      failed_calls: 1,
      success_rate: 0,
      average_response_time: null,
      max_response_time: null,
      credits_used: 1,
      rate_limited_calls: 1,
      status_codes: { '429': 1 },
    });
  });

  it('reports the peak minute against the configured rate limit', () => {
    const burst = (n: number) => makeRun({ api_calls: calls(n) });
    const at10 = dashboardOf([burst(10)], { settings: { rate_limit: 10 } });
    expect(at10.search_performance.rate_limit_status).toEqual({
      rate_limit: 10,
      peak_requests_per_minute: 10,
      peak_usage: 1,
    });
    expect(at10.recommendations.find((r) => r.metric === 'peak_usage')?.message).toBe(
      'Spread requests out: the peak was 10 requests in one minute, 100% of the 10/min limit.',
    );
    // 9 of 10 is exactly the 90% line: not above it.
    const at9 = dashboardOf([burst(9)], { settings: { rate_limit: 10 } });
    expect(at9.search_performance.rate_limit_status.peak_usage).toBe(0.9);
    expect(at9.recommendations.find((r) => r.metric === 'peak_usage')).toBeUndefined();
  });

  it('combines call logs and metrics-only runs', () => {
    const withCalls = makeRun({
      run_id: 'a',
      api_calls: [makeCall({ response_time: 1 }), makeCall({ status_code: 500 })],
    });
    const withMetrics = makeRun({
      run_id: 'b',
      started_at: '2026-11-21T09:00:00.000Z',
      api_metrics: {
        total_calls: 8,
        success_rate: 0.75,
        avg_response_time: 3,
        credits_used: 5,
        error_rate: 0.25,
      },
    });
    const sp = dashboardOf([withCalls, withMetrics]).search_performance;
    // 2 + 8 calls, 1 + 6 successes, rt 1 + 6×3 = 19 over 7 successes.
    expect(sp).toMatchObject({
      source: 'calls',
      total_calls: 10,
      successful_calls: 7,
      failed_calls: 3,
      success_rate: 0.7,
      error_rate: 0.3,
      average_response_time: 2.714286,
      total_credits_used: 7,
      rate_limit_status: { rate_limit: 100, peak_requests_per_minute: 2, peak_usage: 0.02 },
    });
  });
});

describe('score distribution and median', () => {
  const scored = (scores: Array<number | undefined>, extra: Partial<Run> = {}): Run =>
    makeRun({ companies: scores.map((icp_score, i) => makeCompany({ name: `c${i}`, icp_score })), ...extra });

  it('buckets fractional scores: 89.5 in 80-89, 49.9 in 0-49, 90 and 100 in 90-100', () => {
    const d = dashboardOf([scored([89.5, 49.9, 90, 100, 79.99, 50, 0, 69.5])]).qualification_analytics
      .score_distribution;
    expect(d.score_ranges).toEqual({
      '90-100': 2,
      '80-89': 1,
      '70-79': 1,
      '60-69': 1,
      '50-59': 1,
      '0-49': 2,
    });
    expect(d.min_score).toBe(0);
    expect(d.max_score).toBe(100);
  });

  it('takes the middle value of an odd count', () => {
    const d = dashboardOf([scored([70, 10, 40, 99, 20])]).qualification_analytics.score_distribution;
    expect(d.median_score).toBe(40);
    expect(d.average_score).toBe(47.8);
  });

  it('averages the two middle values of an even count (not the upper one, as the seed does)', () => {
    const d = dashboardOf([scored([10, 20, 30, 41])]).qualification_analytics.score_distribution;
    expect(d.median_score).toBe(25);
    const dup = dashboardOf([scored([50, 50, 60, 60])]).qualification_analytics.score_distribution;
    expect(dup.median_score).toBe(55);
    const two = dashboardOf([scored([89.5, 90])]).qualification_analytics.score_distribution;
    expect(two.median_score).toBe(89.75);
  });

  it('takes the true median across several merged runs', () => {
    const runs = [
      scored([60, 10], { run_id: 'r1', started_at: '2026-11-01T00:00:00.000Z' }),
      scored([50, 20], { run_id: 'r2', started_at: '2026-11-02T00:00:00.000Z' }),
      scored([40, 30], { run_id: 'r3', started_at: '2026-11-03T00:00:00.000Z' }),
    ];
    // 10 20 30 40 50 60 → (30 + 40) / 2.
    expect(dashboardOf(runs).qualification_analytics.score_distribution.median_score).toBe(35);
    const odd = [...runs, scored([70], { run_id: 'r4', started_at: '2026-11-04T00:00:00.000Z' })];
    expect(dashboardOf(odd).qualification_analytics.score_distribution.median_score).toBe(40);
  });

  it('leaves unscored companies out of score statistics and counts them as unscored', () => {
    const d = dashboardOf([scored([undefined, 80, undefined, 60])]).qualification_analytics
      .score_distribution;
    expect(d).toEqual({
      scored: 2,
      unscored: 2,
      min_score: 60,
      max_score: 80,
      average_score: 70,
      median_score: 70,
      score_ranges: { '90-100': 0, '80-89': 1, '70-79': 0, '60-69': 1, '50-59': 0, '0-49': 0 },
    });
  });

  it('has null statistics when nothing is scored', () => {
    const d = dashboardOf([scored([undefined, undefined])]).qualification_analytics.score_distribution;
    expect(d).toEqual({
      scored: 0,
      unscored: 2,
      min_score: null,
      max_score: null,
      average_score: null,
      median_score: null,
      score_ranges: { '90-100': 0, '80-89': 0, '70-79': 0, '60-69': 0, '50-59': 0, '0-49': 0 },
    });
  });

  it('medianOf walks a (value, count) multiset', () => {
    expect(medianOf([], 0)).toBeNull();
    expect(medianOf([[7, 1]], 1)).toBe(7);
    expect(
      medianOf(
        [
          [1, 3],
          [9, 1],
        ],
        4,
      ),
    ).toBe(1);
    expect(
      medianOf(
        [
          [1, 2],
          [9, 2],
        ],
        4,
      ),
    ).toBe(5);
    expect(
      medianOf(
        [
          [1, 1],
          [2, 1],
          [3, 1],
        ],
        3,
      ),
    ).toBe(2);
  });
});

describe('tier breakdown, groups and quality', () => {
  const run = makeRun({
    companies: [
      makeCompany({ tier: 'Tier 1', icp_score: 92, industry: 'Software', employees: 10, country: 'US' }),
      makeCompany({ tier: 'Tier 1', icp_score: 98.5, industry: 'Software', employees: 11, country: 'US' }),
      makeCompany({ tier: 'Tier 2', icp_score: 81, industry: 'Retail', employees: 10000, country: 'France' }),
      makeCompany({ tier: 'Tier 3', icp_score: 65, employees: 10001 }),
      makeCompany({ tier: 'Unqualified', icp_score: 20, industry: 'Retail', country: 'France' }),
      makeCompany({ tier: 'Unqualified', industry: 'Retail', employees: 200, country: 'US' }),
      makeCompany({
        tier: 'Unqualified',
        icp_score: 30,
        industry: 'Mining',
        employees: 201,
        country: 'Chile',
      }),
      makeCompany({
        tier: 'Unqualified',
        icp_score: 40,
        industry: 'Mining',
        employees: 51,
        country: 'Chile',
      }),
    ],
    quality_scores: [0.9, 0.6],
  });
  const q = dashboardOf([run]).qualification_analytics;

  it('gives each tier its share of all companies and its score range', () => {
    expect(q.tier_breakdown).toEqual({
      'Tier 1': { count: 2, share: 0.25, scored: 2, average_score: 95.25, min_score: 92, max_score: 98.5 },
      'Tier 2': { count: 1, share: 0.125, scored: 1, average_score: 81, min_score: 81, max_score: 81 },
      'Tier 3': { count: 1, share: 0.125, scored: 1, average_score: 65, min_score: 65, max_score: 65 },
      // The unscored Unqualified company counts toward the share but not the mean.
      Unqualified: { count: 4, share: 0.5, scored: 3, average_score: 30, min_score: 20, max_score: 40 },
    });
  });

  it('analyses industries most common first, Unknown last, ties by name', () => {
    expect(q.industry_analysis).toEqual([
      {
        name: 'Retail',
        count: 3,
        share: 0.375,
        scored: 2,
        average_score: 50.5,
        high_scorers: 1,
        tier_1_count: 0,
      },
      {
        name: 'Mining',
        count: 2,
        share: 0.25,
        scored: 2,
        average_score: 35,
        high_scorers: 0,
        tier_1_count: 0,
      },
      {
        name: 'Software',
        count: 2,
        share: 0.25,
        scored: 2,
        average_score: 95.25,
        high_scorers: 2,
        tier_1_count: 2,
      },
      {
        name: 'Unknown',
        count: 1,
        share: 0.125,
        scored: 1,
        average_score: 65,
        high_scorers: 0,
        tier_1_count: 0,
      },
    ]);
  });

  it('analyses sizes in band order with the band edges', () => {
    expect(q.size_analysis.map((g) => [g.name, g.count])).toEqual([
      ['1-10', 1],
      ['11-50', 1],
      ['51-200', 2],
      ['201-500', 1],
      ['5001-10000', 1],
      ['10001+', 1],
      ['Unknown', 1],
    ]);
    expect(q.size_analysis.find((g) => g.name === '51-200')).toEqual({
      name: '51-200',
      count: 2,
      share: 0.25,
      scored: 1,
      average_score: 40,
      high_scorers: 0,
      tier_1_count: 0,
    });
  });

  it('analyses countries with Unknown for a missing country', () => {
    expect(q.geographic_analysis.map((g) => [g.name, g.count, g.average_score])).toEqual([
      ['United States', 3, 95.25],
      ['Chile', 2, 35],
      ['France', 2, 50.5],
      ['Unknown', 1, 65],
    ]);
  });

  it('averages the quality scores', () => {
    expect(q.quality_score.count).toBe(2);
    expect(q.quality_score.average).toBeCloseTo(0.75, 9);
  });

  it('counts the campaign distribution with Unassigned', () => {
    const c = dashboardOf([
      makeRun({
        companies: [
          makeCompany({ campaign: 'Email' }),
          makeCompany({ campaign: 'Email' }),
          makeCompany({ campaign: 'LinkedIn' }),
          makeCompany({}),
        ],
      }),
    ]).campaign_performance;
    expect(c).toMatchObject({
      companies_assigned: 3,
      campaign_distribution: { Email: 2, LinkedIn: 1, Content: 0, Unassigned: 1 },
    });
  });
});

describe('recommendations name their figures', () => {
  it('flags a low qualification rate with the rate and the count', () => {
    const recs = dashboardOf([rateRun(5, 100)]).recommendations;
    expect(recs).toEqual([
      {
        area: 'qualification',
        message:
          'Refine the Apollo search filters toward the ICP: only 5.0% of 100 discovered companies qualified, below 10%.',
        metric: 'qualification_rate',
        value: 0.05,
        threshold: 0.1,
      },
    ]);
  });

  it('does not flag exactly 10% as low', () => {
    expect(dashboardOf([rateRun(10, 100)]).recommendations).toEqual([]);
  });

  it('flags few Tier 1 targets among at least ten qualified companies', () => {
    const run = makeRun({
      companies: [
        makeCompany({ tier: 'Tier 1' }),
        ...companies(19, () => ({ tier: 'Tier 2' })),
        ...companies(5, () => ({ tier: 'Unqualified' })),
      ].map((c) => ({ ...c, icp_score: 60 })),
    });
    const rec = dashboardOf([run]).recommendations.find((r) => r.metric === 'tier_1_share');
    expect(rec).toEqual({
      area: 'qualification',
      message:
        'Few high-priority targets: Tier 1 is 5.0% of 20 qualified companies; weight the search toward the best-scoring segments.',
      metric: 'tier_1_share',
      value: 0.05,
      threshold: 0.1,
    });
  });

  it('names the best industry, the weak ones, the unscored and the unknown industries', () => {
    const list: Company[] = [
      ...companies(40, (i) => ({ industry: 'Software', icp_score: 85, tier: i < 10 ? 'Tier 1' : 'Tier 2' })),
      ...companies(30, () => ({ industry: 'Retail', icp_score: 40 })),
      // Too few to judge.
      ...companies(5, () => ({ industry: 'Fintech', icp_score: 10 })),
      ...companies(25, () => ({})),
    ];
    const recs = dashboardOf([makeRun({ companies: list })]).recommendations;
    expect(recs).toEqual([
      {
        area: 'qualification',
        message: 'Focus on Software: mean ICP score 85.0 over 40 companies, 10 of them Tier 1.',
        metric: 'industry_average_score',
        value: 85,
        threshold: 70,
      },
      {
        area: 'qualification',
        message: 'Narrow or exclude Retail: 30.0% of discovered companies with a mean ICP score of 40.0.',
        metric: 'industry_average_score',
        value: 40,
        threshold: 50,
      },
      {
        area: 'qualification',
        message: 'Score every company: 25 of 100 have no ICP score and are left out of score statistics.',
        metric: 'unscored',
        value: 25,
        threshold: 0,
      },
      {
        area: 'qualification',
        message:
          'Enrich firmographics: 25.0% of companies have no industry (Apollo search results may omit it; organization enrichment fills it).',
        metric: 'unknown_industry_share',
        value: 0.25,
        threshold: 0.2,
      },
    ]);
  });

  it('flags every weak industry, including the least weak one when none is worth focusing on', () => {
    const list: Company[] = [
      ...companies(20, () => ({ industry: 'Mining', icp_score: 45, tier: 'Tier 3' })),
      ...companies(20, () => ({ industry: 'Retail', icp_score: 30 })),
    ];
    const recs = dashboardOf([makeRun({ companies: list })]).recommendations.filter(
      (r) => r.metric === 'industry_average_score',
    );
    expect(recs.map((r) => r.message)).toEqual([
      'Narrow or exclude Mining: 50.0% of discovered companies with a mean ICP score of 45.0.',
      'Narrow or exclude Retail: 50.0% of discovered companies with a mean ICP score of 30.0.',
    ]);
  });

  it('every recommendation message contains its formatted value', () => {
    const list: Company[] = [
      ...companies(40, () => ({ industry: 'Software', icp_score: 85, tier: 'Tier 2' })),
      ...companies(60, () => ({ icp_score: 20 })),
    ];
    const run = makeRun({
      companies: list,
      api_calls: calls(12, (i) => ({ status_code: i < 3 ? 429 : 200, response_time: 2.5 })),
    });
    const recs = dashboardOf([run], { settings: { rate_limit: 10 } }).recommendations;
    expect(recs.map((r) => r.metric)).toEqual([
      'success_rate',
      'average_response_time',
      'error_rate',
      'rate_limited_calls',
      'peak_usage',
      'tier_1_share',
      'industry_average_score',
      'unknown_industry_share',
    ]);
    const formatted: Record<string, string> = {
      success_rate: '75.0%',
      average_response_time: '2.50s',
      error_rate: '25.0%',
      rate_limited_calls: '3 calls',
      peak_usage: '120%',
      tier_1_share: '0.0%',
      industry_average_score: '85.0',
      unknown_industry_share: '60.0%',
    };
    for (const r of recs) expect(r.message).toContain(formatted[r.metric]);
  });
});

describe('trends', () => {
  const previousOf = (runs: Run[]) => ({
    start: '2026-11-10T00:00:00.000Z',
    end: '2026-11-17T00:00:00.000Z',
    runs: runs.map(makeMeta),
  });
  const older = (run: Run) => ({ ...run, run_id: 'prev', started_at: '2026-11-12T00:00:00.000Z' });

  it('compares the qualification rate with the previous period', () => {
    const up = dashboardOf([rateRun(20, 100)], { previous: previousOf([older(rateRun(10, 100))]) }).trends;
    expect(up.previous_period).toEqual({
      start: '2026-11-10T00:00:00.000Z',
      end: '2026-11-17T00:00:00.000Z',
      runs: 1,
    });
    expect(up.qualification_rate).toEqual({
      current: 0.2,
      previous: 0.1,
      change: 0.1,
      direction: 'Increasing',
    });
    const down = dashboardOf([rateRun(10, 100)], { previous: previousOf([older(rateRun(20, 100))]) }).trends;
    expect(down.qualification_rate).toEqual({
      current: 0.1,
      previous: 0.2,
      change: -0.1,
      direction: 'Decreasing',
    });
  });

  it('is Stable within one point of qualification rate and moves just outside it', () => {
    const stable = dashboardOf([rateRun(200, 1000)], { previous: previousOf([older(rateRun(190, 1000))]) });
    expect(stable.trends.qualification_rate).toEqual({
      current: 0.2,
      previous: 0.19,
      change: 0.01,
      direction: 'Stable',
    });
    const moved = dashboardOf([rateRun(200, 1000)], { previous: previousOf([older(rateRun(189, 1000))]) });
    expect(moved.trends.qualification_rate).toEqual({
      current: 0.2,
      previous: 0.189,
      change: 0.011,
      direction: 'Increasing',
    });
  });

  it('sums the previous period over all its runs', () => {
    const prev = [older(rateRun(1, 10)), { ...older(rateRun(29, 90)), run_id: 'prev-2' }];
    const t = dashboardOf([rateRun(30, 100)], { previous: previousOf(prev) }).trends;
    expect(t.previous_period?.runs).toBe(2);
    expect(t.qualification_rate).toEqual({ current: 0.3, previous: 0.3, change: 0, direction: 'Stable' });
  });

  it('uses half a point for API success and 5% of the previous time for response time', () => {
    const apiRun = (ok: number, total: number, rt: number) =>
      makeRun({ api_calls: calls(total, (i) => ({ status_code: i < ok ? 200 : 500, response_time: rt })) });
    const stable = dashboardOf([apiRun(190, 200, 2.1)], {
      previous: previousOf([older(apiRun(191, 200, 2))]),
    });
    expect(stable.trends.api_success_rate).toEqual({
      current: 0.95,
      previous: 0.955,
      change: -0.005,
      direction: 'Stable',
    });
    expect(stable.trends.average_response_time).toEqual({
      current: 2.1,
      previous: 2,
      change: 0.1,
      direction: 'Stable',
    });
    const moved = dashboardOf([apiRun(190, 200, 2.2)], {
      previous: previousOf([older(apiRun(1911, 2000, 2))]),
    });
    expect(moved.trends.api_success_rate).toEqual({
      current: 0.95,
      previous: 0.9555,
      change: -0.0055,
      direction: 'Decreasing',
    });
    expect(moved.trends.average_response_time).toEqual({
      current: 2.2,
      previous: 2,
      change: 0.2,
      direction: 'Increasing',
    });
    const better = dashboardOf([apiRun(196, 200, 1.8)], {
      previous: previousOf([older(apiRun(190, 200, 2))]),
    });
    expect(better.trends.api_success_rate).toEqual({
      current: 0.98,
      previous: 0.95,
      change: 0.03,
      direction: 'Increasing',
    });
    expect(better.trends.average_response_time).toEqual({
      current: 1.8,
      previous: 2,
      change: -0.2,
      direction: 'Decreasing',
    });
  });

  it('has insufficient data when the previous period holds no runs or no API data', () => {
    const t = dashboardOf([rateRun(1, 2, { api_calls: calls(2) })], { previous: previousOf([]) }).trends;
    expect(t.previous_period).toEqual({
      start: '2026-11-10T00:00:00.000Z',
      end: '2026-11-17T00:00:00.000Z',
      runs: 0,
    });
    expect(t.qualification_rate).toEqual({
      current: 0.5,
      previous: null,
      change: null,
      direction: 'Insufficient data',
    });
    expect(t.api_success_rate).toEqual({
      current: 1,
      previous: null,
      change: null,
      direction: 'Insufficient data',
    });
    const noApi = dashboardOf([rateRun(1, 2, { api_calls: calls(2) })], {
      previous: previousOf([older(rateRun(1, 2))]),
    }).trends;
    expect(noApi.qualification_rate.direction).toBe('Stable');
    expect(noApi.api_success_rate.direction).toBe('Insufficient data');
    expect(noApi.average_response_time.direction).toBe('Insufficient data');
  });

  it('draws the sparkline of the last 8 runs up to the end of the period', () => {
    // r01..r10 a day apart; r03..r10 qualify 0/7 … 7/7, so the chart climbs one step per run.
    const history: Run[] = Array.from({ length: 10 }, (_, i) => {
      const day = String(i + 1).padStart(2, '0');
      const qualified = i < 2 ? 7 : i - 2;
      return rateRun(qualified, 7, { run_id: `r${day}`, started_at: `2026-11-${day}T09:00:00.000Z` });
    });
    // A run after the period's end never shows.
    const later = rateRun(0, 7, { run_id: 'r30', started_at: '2026-11-30T09:00:00.000Z' });
    const period: PeriodInfo = {
      key: '2026-11-01..2026-11-10',
      label: '2026-11-01 to 2026-11-10',
      start: '2026-11-01T00:00:00.000Z',
      end: '2026-11-11T00:00:00.000Z',
      time_zone: 'UTC',
    };
    const model = computeDashboard({
      period,
      current: history.map(aggregateRun),
      previous: null,
      history: [later, ...history].reverse().map(makeMeta),
      settings: { rate_limit: 100 },
      generatedAt: FIXED_NOW,
    });
    const spark = model.trends.qualification_rate_sparkline;
    expect(spark.chart).toBe('▁▂▃▄▅▆▇█');
    expect(spark.runs.map((r) => r.run_id)).toEqual(['r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10']);
    expect(spark.runs.map((r) => r.qualification_rate)).toEqual([
      0, 0.142857, 0.285714, 0.428571, 0.571429, 0.714286, 0.857143, 1,
    ]);
  });

  it('lists a run without companies in the sparkline but leaves it out of the chart', () => {
    const a = rateRun(1, 4, { run_id: 'a', started_at: '2026-11-01T00:00:00.000Z' });
    const empty = makeRun({ run_id: 'b', started_at: '2026-11-02T00:00:00.000Z' });
    const c = rateRun(3, 4, { run_id: 'c', started_at: '2026-11-03T00:00:00.000Z' });
    const spark = dashboardOf([a, empty, c]).trends.qualification_rate_sparkline;
    expect(spark.runs.map((r) => r.qualification_rate)).toEqual([0.25, null, 0.75]);
    expect(spark.chart).toBe('▁█');
  });
});

describe('an empty period', () => {
  it('has nulls, No data, no recommendations, and nothing JSON would lose', () => {
    const model = computeDashboard({
      period: {
        key: '7d',
        label: 'Last 7 days',
        start: '2026-11-17T00:00:00.000Z',
        end: null,
        time_zone: 'UTC',
      },
      current: [],
      previous: { start: '2026-11-10T00:00:00.000Z', end: '2026-11-17T00:00:00.000Z', runs: [] },
      history: [],
      settings: { rate_limit: 100 },
      generatedAt: FIXED_NOW,
    });
    const zeroGroups = { '90-100': 0, '80-89': 0, '70-79': 0, '60-69': 0, '50-59': 0, '0-49': 0 };
    const emptyTier = {
      count: 0,
      share: 0,
      scored: 0,
      average_score: null,
      min_score: null,
      max_score: null,
    };
    const noTrend = { current: null, previous: null, change: null, direction: 'Insufficient data' };
    // toMatchObject for the keys other features add (campaign results, funnel); the rest is exact.
    expect(model).toMatchObject({
      version: 1,
      generated_at: '2026-11-24T00:00:00.000Z',
      period: {
        key: '7d',
        label: 'Last 7 days',
        start: '2026-11-17T00:00:00.000Z',
        end: null,
        time_zone: 'UTC',
      },
      runs: { count: 0, first_started_at: null, last_started_at: null },
      executive_summary: {
        total_companies_discovered: 0,
        total_companies_qualified: 0,
        qualification_rate: null,
        tier_1_targets: 0,
        tier_2_targets: 0,
        tier_3_targets: 0,
        high_priority_opportunities: 0,
        overall_performance: 'No data',
      },
      search_performance: {
        source: 'none',
        total_calls: 0,
        successful_calls: 0,
        failed_calls: 0,
        success_rate: null,
        average_response_time: null,
        total_credits_used: 0,
        error_rate: null,
        rate_limited_calls: 0,
        rate_limit_status: { rate_limit: 100, peak_requests_per_minute: null, peak_usage: null },
        endpoints: [],
        performance_issues: [],
      },
      qualification_analytics: {
        score_distribution: {
          scored: 0,
          unscored: 0,
          min_score: null,
          max_score: null,
          average_score: null,
          median_score: null,
          score_ranges: zeroGroups,
        },
        tier_breakdown: {
          'Tier 1': emptyTier,
          'Tier 2': emptyTier,
          'Tier 3': emptyTier,
          Unqualified: emptyTier,
        },
        quality_score: { count: 0, average: null },
        industry_analysis: [],
        size_analysis: [],
        geographic_analysis: [],
      },
      campaign_performance: {
        companies_assigned: 0,
        campaign_distribution: { Email: 0, LinkedIn: 0, Content: 0, Unassigned: 0 },
      },
      recommendations: [],
      trends: {
        previous_period: { start: '2026-11-10T00:00:00.000Z', end: '2026-11-17T00:00:00.000Z', runs: 0 },
        qualification_rate: noTrend,
        api_success_rate: noTrend,
        average_response_time: noTrend,
        qualification_rate_sparkline: { runs: [], chart: '' },
      },
    });
    expectFiniteJson(model);
  });

  it('has no NaN even for runs that hold no companies and no calls', () => {
    const model = dashboardOf([makeRun({ quality_scores: [] })]);
    expect(model.executive_summary.overall_performance).toBe('No data');
    expect(model.recommendations).toEqual([]);
    expectFiniteJson(model);
  });
});

describe('merge-order independence', () => {
  const runs: Run[] = [
    makeRun({
      run_id: 'r1',
      started_at: '2026-11-01T00:00:00.000Z',
      companies: companies(7, (i) => ({
        industry: i % 2 ? 'Software' : 'Retail',
        icp_score: 10.1 * i + 0.3,
        tier: i % 3 ? 'Tier 2' : 'Tier 1',
        country: i % 2 ? 'US' : undefined,
      })),
      api_calls: calls(5, (i) => ({ response_time: 0.1 * (i + 1), credits_used: 0.1 })),
      quality_scores: [0.1, 0.2],
    }),
    makeRun({
      run_id: 'r2',
      started_at: '2026-11-02T00:00:00.000Z',
      companies: companies(5, (i) => ({
        industry: 'Software',
        icp_score: 33.3 + i * 0.7,
        employees: 40 + i,
      })),
      api_metrics: {
        total_calls: 30,
        success_rate: 0.7,
        avg_response_time: 0.3,
        credits_used: 1.1,
        error_rate: 0.3,
      },
      quality_scores: [0.7],
    }),
    makeRun({
      run_id: 'r3',
      started_at: '2026-11-03T00:00:00.000Z',
      companies: companies(3, (i) => ({ industry: 'Retail', icp_score: 66.6 + i, campaign: 'Email' })),
      api_calls: calls(3, (i) => ({ endpoint: 'enrich', response_time: 0.7 + i * 0.1, credits_used: 0.2 })),
      quality_scores: [0.3],
    }),
  ];

  it('gives a deep-equal model for the same runs in any order', () => {
    const [a, b, c] = runs as [Run, Run, Run];
    const base = dashboardOf([a, b, c]);
    for (const order of [
      [c, b, a],
      [b, a, c],
      [a, c, b],
    ]) {
      expect(dashboardOf(order)).toEqual(base);
    }
    expectFiniteJson(base);
  });
});
