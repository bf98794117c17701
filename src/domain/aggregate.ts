/**
 * Per-run aggregates, computed once at ingest and stored beside the run, so a dashboard over a
 * year of history reads a few hundred small records instead of millions of companies. They are
 * exact: the score multiset is kept as sorted (score, count) pairs, so the merged median is the
 * true median, and sums are kept rather than means.
 */
import {
  CAMPAIGNS,
  type Campaign,
  isQualified,
  isSuccessStatus,
  type Run,
  sizeBandOf,
  TIERS,
  type Tier,
  UNKNOWN,
} from './model.js';

export interface GroupStat {
  count: number;
  scored: number;
  score_sum: number;
  high_scorers: number;
  tier_1: number;
  qualified: number;
}

export interface TierStat {
  count: number;
  scored: number;
  score_sum: number;
  min: number | null;
  max: number | null;
}

export interface EndpointStat {
  total: number;
  successful: number;
  failed: number;
  /** Sum of response times (seconds) over successful calls, as the seed averages them. */
  rt_sum: number;
  max_rt: number;
  credits: number;
  rate_limited: number;
  status_codes: Record<string, number>;
}

export interface ApiAggregate {
  /** `calls`: from a call log; `metrics`: from summary figures; `none`: the run reported nothing. */
  source: 'calls' | 'metrics' | 'none';
  total: number;
  successful: number;
  failed: number;
  rt_sum: number;
  credits: number;
  rate_limited: number;
  /** Most calls in any 60-second window; null without a call log. */
  peak_per_minute: number | null;
  endpoints: Record<string, EndpointStat>;
}

export type CampaignSlot = Campaign | 'Unassigned';
export const CAMPAIGN_SLOTS: readonly CampaignSlot[] = [...CAMPAIGNS, 'Unassigned'];

export interface Totals {
  companies: number;
  qualified: number;
  scored: number;
  tiers: Record<Tier, TierStat>;
  /** Sorted ascending by score: [score, how many companies had it]. */
  scores: Array<[number, number]>;
  industries: Record<string, GroupStat>;
  sizes: Record<string, GroupStat>;
  countries: Record<string, GroupStat>;
  campaigns: Record<CampaignSlot, number>;
  quality: { count: number; sum: number };
  api: ApiAggregate;
}

export interface RunAggregate extends Totals {
  v: 1;
  run_id: string;
  started_at: string;
  label?: string;
}

export const HIGH_SCORE = 80;
const WINDOW_MS = 60_000;

function emptyTierStat(): TierStat {
  return { count: 0, scored: 0, score_sum: 0, min: null, max: null };
}

function emptyGroup(): GroupStat {
  return { count: 0, scored: 0, score_sum: 0, high_scorers: 0, tier_1: 0, qualified: 0 };
}

function emptyEndpoint(): EndpointStat {
  return {
    total: 0,
    successful: 0,
    failed: 0,
    rt_sum: 0,
    max_rt: 0,
    credits: 0,
    rate_limited: 0,
    status_codes: {},
  };
}

export function emptyTotals(): Totals {
  return {
    companies: 0,
    qualified: 0,
    scored: 0,
    tiers: {
      'Tier 1': emptyTierStat(),
      'Tier 2': emptyTierStat(),
      'Tier 3': emptyTierStat(),
      Unqualified: emptyTierStat(),
    },
    scores: [],
    industries: {},
    sizes: {},
    countries: {},
    campaigns: { Email: 0, LinkedIn: 0, Content: 0, Unassigned: 0 },
    quality: { count: 0, sum: 0 },
    api: {
      source: 'none',
      total: 0,
      successful: 0,
      failed: 0,
      rt_sum: 0,
      credits: 0,
      rate_limited: 0,
      peak_per_minute: null,
      endpoints: {},
    },
  };
}

function addToGroup(
  groups: Record<string, GroupStat>,
  key: string,
  tier: Tier,
  score: number | undefined,
): void {
  let group = groups[key];
  if (!group) {
    group = emptyGroup();
    groups[key] = group;
  }
  group.count += 1;
  if (tier === 'Tier 1') group.tier_1 += 1;
  if (isQualified(tier)) group.qualified += 1;
  if (score !== undefined) {
    group.scored += 1;
    group.score_sum += score;
    if (score >= HIGH_SCORE) group.high_scorers += 1;
  }
}

function peakPerWindow(timestamps: number[]): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= WINDOW_MS) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

function aggregateApi(run: Run): ApiAggregate {
  const api = emptyTotals().api;
  if (run.api_calls.length > 0) {
    api.source = 'calls';
    const times: number[] = [];
    for (const call of run.api_calls) {
      let ep = api.endpoints[call.endpoint];
      if (!ep) {
        ep = emptyEndpoint();
        api.endpoints[call.endpoint] = ep;
      }
      const ok = isSuccessStatus(call.status_code);
      const limited = call.status_code === 429;
      ep.total += 1;
      ep.credits += call.credits_used;
      ep.status_codes[call.status_code] = (ep.status_codes[call.status_code] ?? 0) + 1;
      if (ok) {
        ep.successful += 1;
        ep.rt_sum += call.response_time;
        ep.max_rt = Math.max(ep.max_rt, call.response_time);
      } else ep.failed += 1;
      if (limited) ep.rate_limited += 1;
      times.push(Date.parse(call.timestamp));
    }
    for (const ep of Object.values(api.endpoints)) {
      api.total += ep.total;
      api.successful += ep.successful;
      api.failed += ep.failed;
      api.rt_sum += ep.rt_sum;
      api.credits += ep.credits;
      api.rate_limited += ep.rate_limited;
    }
    api.peak_per_minute = peakPerWindow(times);
    return api;
  }
  const m = run.api_metrics;
  if (m && m.total_calls > 0) {
    api.source = 'metrics';
    api.total = m.total_calls;
    api.successful = Math.round(m.total_calls * m.success_rate);
    api.failed = api.total - api.successful;
    api.rt_sum = m.avg_response_time * api.successful;
    api.credits = m.credits_used;
  } else if (m) {
    api.source = 'metrics';
    api.credits = m.credits_used;
  }
  return api;
}

/** Everything the dashboard needs from one run, computed in one pass over its companies. */
export function aggregateRun(run: Run): RunAggregate {
  const totals = emptyTotals();
  const scoreCounts = new Map<number, number>();
  for (const company of run.companies) {
    const { tier } = company;
    const score = company.icp_score;
    totals.companies += 1;
    if (isQualified(tier)) totals.qualified += 1;
    const tierStat = totals.tiers[tier];
    tierStat.count += 1;
    if (score !== undefined) {
      totals.scored += 1;
      scoreCounts.set(score, (scoreCounts.get(score) ?? 0) + 1);
      tierStat.scored += 1;
      tierStat.score_sum += score;
      tierStat.min = tierStat.min === null ? score : Math.min(tierStat.min, score);
      tierStat.max = tierStat.max === null ? score : Math.max(tierStat.max, score);
    }
    addToGroup(totals.industries, company.industry ?? UNKNOWN, tier, score);
    addToGroup(totals.sizes, sizeBandOf(company.employees), tier, score);
    addToGroup(totals.countries, company.country ?? UNKNOWN, tier, score);
    totals.campaigns[company.campaign ?? 'Unassigned'] += 1;
  }
  totals.scores = [...scoreCounts.entries()].sort((a, b) => a[0] - b[0]);
  for (const q of run.quality_scores) {
    totals.quality.count += 1;
    totals.quality.sum += q;
  }
  totals.api = aggregateApi(run);
  const aggregate: RunAggregate = { v: 1, run_id: run.run_id, started_at: run.started_at, ...totals };
  if (run.label !== undefined) aggregate.label = run.label;
  return aggregate;
}

function mergeGroups(into: Record<string, GroupStat>, from: Record<string, GroupStat>): void {
  for (const [key, g] of Object.entries(from)) {
    const target = into[key] ?? emptyGroup();
    target.count += g.count;
    target.scored += g.scored;
    target.score_sum += g.score_sum;
    target.high_scorers += g.high_scorers;
    target.tier_1 += g.tier_1;
    target.qualified += g.qualified;
    into[key] = target;
  }
}

function isStrictlyAscending(list: ReadonlyArray<readonly [number, number]>): boolean {
  for (let i = 1; i < list.length; i++) {
    if (!((list[i - 1] as [number, number])[0] < (list[i] as [number, number])[0])) return false;
  }
  return true;
}

/**
 * Sums (score, count) multisets into one, ascending. Each run's list is already ascending with
 * distinct scores, so merging it into the running total is one linear pass (no hashing, no sort);
 * over a year that is a few hundred thousand steps, between two buffers that are reused. Counts are
 * integers, so the sums are exact.
 */
function mergeScores(lists: ReadonlyArray<ReadonlyArray<[number, number]>>): Array<[number, number]> {
  let values = new Float64Array(1024);
  let counts = new Float64Array(1024);
  let nextValues = new Float64Array(1024);
  let nextCounts = new Float64Array(1024);
  let size = 0;
  for (const given of lists) {
    const list = isStrictlyAscending(given) ? given : mergeScoresByMap(given);
    if (nextValues.length < size + list.length) {
      nextValues = new Float64Array(2 * (size + list.length));
      nextCounts = new Float64Array(2 * (size + list.length));
    }
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < size || j < list.length) {
      const pair = list[j];
      if (pair === undefined || (i < size && (values[i] as number) < pair[0])) {
        nextValues[k] = values[i] as number;
        nextCounts[k] = counts[i] as number;
        i++;
      } else if (i >= size || pair[0] < (values[i] as number)) {
        nextValues[k] = pair[0];
        nextCounts[k] = pair[1];
        j++;
      } else {
        nextValues[k] = values[i] as number;
        nextCounts[k] = (counts[i] as number) + pair[1];
        i++;
        j++;
      }
      k++;
    }
    [values, nextValues] = [nextValues, values];
    [counts, nextCounts] = [nextCounts, counts];
    size = k;
  }
  const out: Array<[number, number]> = [];
  for (let k = 0; k < size; k++) out.push([values[k] as number, counts[k] as number]);
  return out;
}

/** The general case (any order, repeated scores), for a list that is not already ascending. */
function mergeScoresByMap(list: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const counts = new Map<number, number>();
  for (const [score, n] of list) counts.set(score, (counts.get(score) ?? 0) + n);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

function mergeApi(into: ApiAggregate, from: ApiAggregate): void {
  if (from.source === 'none') return;
  into.source = into.source === 'calls' || from.source === 'calls' ? 'calls' : 'metrics';
  into.total += from.total;
  into.successful += from.successful;
  into.failed += from.failed;
  into.rt_sum += from.rt_sum;
  into.credits += from.credits;
  into.rate_limited += from.rate_limited;
  if (from.peak_per_minute !== null) {
    into.peak_per_minute = Math.max(into.peak_per_minute ?? 0, from.peak_per_minute);
  }
  for (const [name, ep] of Object.entries(from.endpoints)) {
    const target = into.endpoints[name] ?? emptyEndpoint();
    target.total += ep.total;
    target.successful += ep.successful;
    target.failed += ep.failed;
    target.rt_sum += ep.rt_sum;
    target.max_rt = Math.max(target.max_rt, ep.max_rt);
    target.credits += ep.credits;
    target.rate_limited += ep.rate_limited;
    for (const [code, n] of Object.entries(ep.status_codes)) {
      target.status_codes[code] = (target.status_codes[code] ?? 0) + n;
    }
    into.endpoints[name] = target;
  }
}

/**
 * Sums run aggregates into period totals. Aggregates are merged in (started_at, run_id) order
 * so floating-point sums come out identical wherever the same runs are merged.
 */
export function mergeAggregates(aggregates: readonly RunAggregate[]): Totals {
  const ordered = [...aggregates].sort(
    (a, b) => a.started_at.localeCompare(b.started_at) || a.run_id.localeCompare(b.run_id),
  );
  const totals = emptyTotals();
  for (const a of ordered) {
    totals.companies += a.companies;
    totals.qualified += a.qualified;
    totals.scored += a.scored;
    for (const tier of TIERS) {
      const t = totals.tiers[tier];
      const f = a.tiers[tier];
      t.count += f.count;
      t.scored += f.scored;
      t.score_sum += f.score_sum;
      if (f.min !== null) t.min = t.min === null ? f.min : Math.min(t.min, f.min);
      if (f.max !== null) t.max = t.max === null ? f.max : Math.max(t.max, f.max);
    }
    mergeGroups(totals.industries, a.industries);
    mergeGroups(totals.sizes, a.sizes);
    mergeGroups(totals.countries, a.countries);
    for (const slot of CAMPAIGN_SLOTS) totals.campaigns[slot] += a.campaigns[slot];
    totals.quality.count += a.quality.count;
    totals.quality.sum += a.quality.sum;
    mergeApi(totals.api, a.api);
  }
  totals.scores = mergeScores(ordered.map((a) => a.scores));
  return totals;
}

/** The few figures per run that trends and run lists need, kept in the run index itself. */
export interface RunHeadline {
  companies: number;
  qualified: number;
  tier_1: number;
  api_total: number;
  api_successful: number;
  /** Sum of successful calls' response times, seconds. */
  api_rt_sum: number;
  credits: number;
}

export function headlineOf(totals: Totals): RunHeadline {
  return {
    companies: totals.companies,
    qualified: totals.qualified,
    tier_1: totals.tiers['Tier 1'].count,
    api_total: totals.api.total,
    api_successful: totals.api.successful,
    api_rt_sum: totals.api.rt_sum,
    credits: totals.api.credits,
  };
}

export function sumHeadlines(headlines: readonly RunHeadline[]): RunHeadline {
  const sum: RunHeadline = {
    companies: 0,
    qualified: 0,
    tier_1: 0,
    api_total: 0,
    api_successful: 0,
    api_rt_sum: 0,
    credits: 0,
  };
  for (const h of headlines) {
    sum.companies += h.companies;
    sum.qualified += h.qualified;
    sum.tier_1 += h.tier_1;
    sum.api_total += h.api_total;
    sum.api_successful += h.api_successful;
    sum.api_rt_sum += h.api_rt_sum;
    sum.credits += h.credits;
  }
  return sum;
}
