/** Small builders for runs and their stored records, with defaults a test overrides field by field. */
import { aggregateRun, type RunAggregate } from '../../src/domain/aggregate.js';
import type { DashboardInput, DashboardModel } from '../../src/domain/dashboard.js';
import { computeDashboard } from '../../src/domain/dashboard.js';
import type { ApiCall, Company, Run } from '../../src/domain/model.js';
import type { PeriodInfo } from '../../src/domain/period.js';
import type { RunMeta } from '../../src/domain/run-meta.js';
import { buildRunRecord } from '../../src/services/ingest.js';

export const FIXED_NOW = new Date('2026-11-24T00:00:00Z');

export function makeCompany(overrides: Partial<Company> = {}): Company {
  return { name: 'Acme Corp', tier: 'Unqualified', ...overrides };
}

export function makeCall(overrides: Partial<ApiCall> = {}): ApiCall {
  return {
    timestamp: '2026-11-20T09:00:00.000Z',
    endpoint: 'mixed_companies/search',
    response_time: 1,
    status_code: 200,
    credits_used: 1,
    ...overrides,
  };
}

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    run_id: 'run-1',
    started_at: '2026-11-20T09:00:00.000Z',
    companies: [],
    api_calls: [],
    quality_scores: [],
    ...overrides,
  };
}

/** The run index entry, as ingest stores it. */
export function makeMeta(run: Run): RunMeta {
  return buildRunRecord(run, { source: 'api', now: FIXED_NOW }).meta;
}

/** `n` companies built by `make(i)`, for bulk fixtures. */
export function companies(n: number, make: (i: number) => Partial<Company>): Company[] {
  return Array.from({ length: n }, (_, i) => makeCompany(make(i)));
}

/** `n` calls one second apart from `start`, built by `make(i)`. */
export function calls(
  n: number,
  make: (i: number) => Partial<ApiCall> = () => ({}),
  start = '2026-11-20T09:00:00.000Z',
): ApiCall[] {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) =>
    makeCall({ timestamp: new Date(t0 + i * 1000).toISOString(), ...make(i) }),
  );
}

export const ALL_PERIOD: PeriodInfo = {
  key: 'all',
  label: 'All runs',
  start: null,
  end: null,
  time_zone: 'UTC',
};

/** The dashboard of `runs` (by default over `all`, no previous period, history = the runs). */
export function dashboardOf(
  runs: readonly Run[],
  overrides: Partial<Omit<DashboardInput, 'current'>> & { current?: readonly RunAggregate[] } = {},
): DashboardModel {
  return computeDashboard({
    period: ALL_PERIOD,
    current: runs.map(aggregateRun),
    previous: null,
    history: runs.map(makeMeta),
    settings: { rate_limit: 100 },
    generatedAt: FIXED_NOW,
    ...overrides,
  });
}

/** The run's call timestamps: `seconds` after 2026-11-20T09:00Z. */
export const secondsAfterT0 = (seconds: number) =>
  new Date(Date.parse('2026-11-20T09:00:00.000Z') + seconds * 1000).toISOString();

/** Six companies covering every grouping edge; figures below are worked out by hand. */
export const mixedRun = makeRun({
  run_id: 'mixed',
  label: 'Weekly',
  companies: [
    makeCompany({
      name: 'A',
      industry: 'Software',
      employees: 10,
      country: 'US',
      icp_score: 95,
      tier: 'Tier 1',
      campaign: 'Email',
    }),
    makeCompany({
      name: 'B',
      industry: 'Software',
      employees: 11,
      country: 'US',
      icp_score: 89.5,
      tier: 'Tier 2',
      campaign: 'LinkedIn',
    }),
    makeCompany({ name: 'C', employees: 10000, country: 'Germany', icp_score: 49.9 }),
    makeCompany({ name: 'D', industry: 'Fintech', employees: 10001, tier: 'Tier 3', campaign: 'Content' }),
    makeCompany({
      name: 'E',
      industry: 'Software',
      country: 'US',
      icp_score: 95,
      tier: 'Tier 1',
      campaign: 'Email',
    }),
    makeCompany({ name: 'F', industry: 'Fintech', employees: 0, icp_score: 80, tier: 'Tier 2' }),
  ],
  api_calls: [
    makeCall({
      timestamp: secondsAfterT0(0),
      endpoint: 'search',
      status_code: 200,
      response_time: 1,
      credits_used: 1,
    }),
    makeCall({
      timestamp: secondsAfterT0(10),
      endpoint: 'search',
      status_code: 201,
      response_time: 0.5,
      credits_used: 1,
    }),
    makeCall({
      timestamp: secondsAfterT0(59.9),
      endpoint: 'enrich',
      status_code: 204,
      response_time: 2.5,
      credits_used: 0,
    }),
    makeCall({
      timestamp: secondsAfterT0(60),
      endpoint: 'search',
      status_code: 429,
      response_time: 0.1,
      credits_used: 0,
    }),
    makeCall({
      timestamp: secondsAfterT0(61),
      endpoint: 'enrich',
      status_code: 500,
      response_time: 3,
      credits_used: 1,
    }),
  ],
  quality_scores: [0.5, 0.75, 1],
});
