/**
 * The performance dashboard: one pure function from stored aggregates to the JSON model that the
 * Slack message, the exports and the offline report all print. Rates are fractions 0..1, times
 * are seconds, and every figure is measured from the runs given; nothing is asserted.
 */

import {
  addGroupStat,
  CAMPAIGN_SLOTS,
  type CampaignSlot,
  type EndpointStat,
  type GroupStat,
  headlineOf,
  mergeRunAggregates,
  type RunAggregate,
  type RunHeadline,
  sumHeadlines,
  type Totals,
} from './aggregate.js';
import type { CampaignSection } from './campaign-metrics.js';
import {
  type CampaignTrends,
  campaignPeriodTotals,
  computeCampaignSection,
  computeCampaignTrends,
  computeFunnel,
  defaultRoiByChannel,
} from './campaign-metrics.js';
import {
  type DashboardInput,
  type DashboardModel,
  type DashboardSettings,
  type EndpointPerformance,
  type ExecutiveSummary,
  type GroupAnalysis,
  MAX_NAMED_GROUPS,
  OTHER_GROUPS,
  type OverallPerformance,
  type QualificationAnalytics,
  type SearchPerformance,
  type TierBreakdown,
  type Trends,
  type UploadWarnings,
} from './dashboard-model.js';
import { formatPercent, formatSeconds, ratio, round, sparkline } from './format.js';
import {
  CAMPAIGNS,
  type Campaign,
  SCORE_BUCKETS,
  type ScoreBucket,
  SIZE_BANDS,
  TIERS,
  type Tier,
  UNKNOWN,
} from './model.js';
import { recommend } from './recommendations.js';
import { type RunMeta, sortRunsNewestFirst } from './run-meta.js';
import { addScoreSummaries, medianOfScoreSets, type ScoreSet } from './score-set.js';
import { formatThresholdPercent, THRESHOLDS, type Thresholds } from './thresholds.js';
import { computeTrend, type Trend } from './trend.js';

export * from './dashboard-model.js';
export { DEFAULT_RATE_LIMIT, THRESHOLDS } from './thresholds.js';
export type { Direction, Trend } from './trend.js';
export const SPARKLINE_RUNS = 8;

function overall(rate: number | null, t: Thresholds): OverallPerformance {
  if (rate === null) return 'No data';
  if (rate > t.qualification_excellent) return 'Excellent';
  if (rate > t.qualification_good) return 'Good';
  return 'Needs Improvement';
}

/**
 * The true median of a sorted (value, count) multiset: the mean of the two middle values when even.
 * The dashboard selects it from the runs' score sets instead (`medianOfScoreSets`), with the same result.
 */
export function medianOf(pairs: ReadonlyArray<readonly [number, number]>, n: number): number | null {
  if (n === 0) return null;
  const lowIndex = Math.floor((n - 1) / 2);
  const highIndex = Math.floor(n / 2);
  let low: number | null = null;
  let seen = 0;
  for (const [value, count] of pairs) {
    const next = seen + count;
    if (low === null && lowIndex < next) low = value;
    if (highIndex < next) return round(((low ?? value) + value) / 2);
    seen = next;
  }
  return null;
}

function summarize(t: Totals, thresholds: Thresholds): ExecutiveSummary {
  const rate = ratio(t.qualified, t.companies);
  return {
    total_companies_discovered: t.companies,
    total_companies_qualified: t.qualified,
    qualification_rate: rate,
    tier_1_targets: t.tiers['Tier 1'].count,
    tier_2_targets: t.tiers['Tier 2'].count,
    tier_3_targets: t.tiers['Tier 3'].count,
    high_priority_opportunities: t.tiers['Tier 1'].count,
    overall_performance: overall(rate, thresholds),
  };
}

function endpointPerformance(name: string, ep: EndpointStat): EndpointPerformance {
  return {
    endpoint: name,
    total_calls: ep.total,
    successful_calls: ep.successful,
    failed_calls: ep.failed,
    success_rate: ratio(ep.successful, ep.total) ?? 0,
    average_response_time: ep.successful > 0 ? round(ep.rt_sum / ep.successful) : null,
    max_response_time: ep.successful > 0 ? ep.max_rt : null,
    credits_used: round(ep.credits),
    rate_limited_calls: ep.rate_limited,
    status_codes: ep.status_codes,
  };
}

/** The API figures of some runs' totals: the dashboard's section, and what alerts measure per run. */
export function searchPerformance(
  t: Totals,
  settings: Pick<DashboardSettings, 'rate_limit' | 'thresholds'>,
): SearchPerformance {
  const th = settings.thresholds ?? THRESHOLDS;
  const api = t.api;
  const successRate = ratio(api.successful, api.total);
  const errorRate = ratio(api.failed, api.total);
  const avg = api.successful > 0 ? round(api.rt_sum / api.successful) : null;
  const issues: string[] = [];
  if (successRate !== null && successRate < th.success_rate) {
    issues.push(
      `Low API success rate - check API key and rate limits (${formatPercent(successRate)} < ${formatThresholdPercent(th.success_rate)})`,
    );
  }
  if (avg !== null && avg > th.average_response_time) {
    issues.push(
      `Slow API response times - consider optimizing requests (${formatSeconds(avg)} > ${formatSeconds(th.average_response_time)})`,
    );
  }
  if (errorRate !== null && errorRate > th.error_rate) {
    issues.push(
      `High error rate - review API usage patterns (${formatPercent(errorRate)} > ${formatThresholdPercent(th.error_rate)})`,
    );
  }
  const limitedShare = ratio(api.rate_limited, api.total);
  if (limitedShare !== null && limitedShare > th.rate_limited_share) {
    issues.push(
      `Rate-limited calls - honour retry-after and pace requests (${formatPercent(limitedShare)} of calls got 429 > ${formatPercent(th.rate_limited_share)})`,
    );
  }
  const endpoints = Object.entries(api.endpoints)
    .map(([name, ep]) => endpointPerformance(name, ep))
    .sort((a, b) => b.total_calls - a.total_calls || a.endpoint.localeCompare(b.endpoint));
  return {
    source: api.source,
    total_calls: api.total,
    successful_calls: api.successful,
    failed_calls: api.failed,
    success_rate: successRate,
    average_response_time: avg,
    total_credits_used: round(api.credits),
    error_rate: errorRate,
    rate_limited_calls: api.rate_limited,
    rate_limit_status: {
      rate_limit: settings.rate_limit,
      peak_requests_per_minute: api.peak_per_minute,
      peak_usage: api.peak_per_minute === null ? null : round(api.peak_per_minute / settings.rate_limit),
    },
    endpoints,
    performance_issues: issues,
  };
}

function analyseGroup(name: string, g: GroupStat, total: number): GroupAnalysis {
  return {
    name,
    count: g.count,
    share: ratio(g.count, total) ?? 0,
    scored: g.scored,
    average_score: g.scored > 0 ? round(g.score_sum / g.scored) : null,
    high_scorers: g.high_scorers,
    tier_1_count: g.tier_1,
  };
}

function analyseGroups(groups: Record<string, GroupStat>, total: number): GroupAnalysis[] {
  return Object.entries(groups).map(([name, g]) => analyseGroup(name, g, total));
}

/**
 * Most companies first (`Unknown` last), at most MAX_NAMED_GROUPS named groups; the rest are added up
 * in one `OTHER_GROUPS` group at the end. n log n in the number of distinct names.
 */
export function topGroups(groups: Record<string, GroupStat>, total: number): GroupAnalysis[] {
  const entries = Object.entries(groups).filter(([name]) => name !== OTHER_GROUPS);
  const folded = groups[OTHER_GROUPS];
  if (entries.length <= MAX_NAMED_GROUPS && !folded) return analyseGroups(groups, total).sort(byCount);
  entries.sort(([an, a], [bn, b]) => byCount({ name: an, count: a.count }, { name: bn, count: b.count }));
  const kept = entries.slice(0, MAX_NAMED_GROUPS);
  const other: GroupStat = folded
    ? { ...folded }
    : { count: 0, scored: 0, score_sum: 0, high_scorers: 0, tier_1: 0, qualified: 0 };
  const rest = entries.slice(MAX_NAMED_GROUPS);
  for (const [, g] of rest) addGroupStat(other, g);
  const out = kept.map(([name, g]) => analyseGroup(name, g, total));
  out.push({ ...analyseGroup(OTHER_GROUPS, other, total), names: rest.length + (folded ? 1 : 0) });
  return out;
}

/** Most companies first, `Unknown` last, ties by name. */
function byCount(a: Pick<GroupAnalysis, 'name' | 'count'>, b: Pick<GroupAnalysis, 'name' | 'count'>): number {
  if ((a.name === UNKNOWN) !== (b.name === UNKNOWN)) return a.name === UNKNOWN ? 1 : -1;
  return b.count - a.count || a.name.localeCompare(b.name);
}

/** The score figures come from the runs' score sets: no merged list of every score is built. */
function qualificationAnalytics(t: Totals, scoreSets: readonly ScoreSet[]): QualificationAnalytics {
  const scores = addScoreSummaries(scoreSets.map((s) => s.summary));
  const ranges = Object.fromEntries(SCORE_BUCKETS.map((b) => [b, scores.buckets[b]])) as Record<
    ScoreBucket,
    number
  >;
  const tierBreakdown = Object.fromEntries(
    TIERS.map((tier) => {
      const s = t.tiers[tier];
      return [
        tier,
        {
          count: s.count,
          share: ratio(s.count, t.companies) ?? 0,
          scored: s.scored,
          average_score: s.scored > 0 ? round(s.score_sum / s.scored) : null,
          min_score: s.min,
          max_score: s.max,
        },
      ];
    }),
  ) as Record<Tier, TierBreakdown>;
  const bandOrder: string[] = [...SIZE_BANDS, UNKNOWN];
  return {
    score_distribution: {
      scored: t.scored,
      unscored: t.companies - t.scored,
      min_score: scores.min,
      max_score: scores.max,
      average_score: t.scored > 0 ? round(scores.sum / t.scored) : null,
      median_score: medianOfScoreSets(scoreSets, t.scored),
      score_ranges: ranges,
    },
    tier_breakdown: tierBreakdown,
    quality_score: {
      count: t.quality.count,
      average: t.quality.count > 0 ? round(t.quality.sum / t.quality.count) : null,
    },
    industry_analysis: topGroups(t.industries, t.companies),
    size_analysis: analyseGroups(t.sizes, t.companies).sort(
      (a, b) => bandOrder.indexOf(a.name) - bandOrder.indexOf(b.name),
    ),
    geographic_analysis: topGroups(t.countries, t.companies),
  };
}

interface HeadlineRates {
  qualification_rate: number | null;
  api_success_rate: number | null;
  average_response_time: number | null;
}

function ratesOf(h: RunHeadline): HeadlineRates {
  return {
    qualification_rate: ratio(h.qualified, h.companies),
    api_success_rate: ratio(h.api_successful, h.api_total),
    average_response_time: h.api_successful > 0 ? round(h.api_rt_sum / h.api_successful) : null,
  };
}

/** Changes smaller than these are `Stable`: 1 point of qualification, half a point of success, 5 % of time. */
const TOLERANCE = { qualification_rate: 0.01, api_success_rate: 0.005, average_response_time_relative: 0.05 };

const trend = (current: number | null, previous: number | null, tolerance: number): Trend =>
  computeTrend(current, previous, tolerance);

function trends(totals: Totals, input: DashboardInput): Omit<Trends, keyof CampaignTrends> {
  const now = ratesOf(headlineOf(totals));
  // A previous period without runs is no comparison (not a change from zero).
  const prevHeadline =
    input.previous && input.previous.runs.length > 0
      ? sumHeadlines(input.previous.runs.map((r) => r.headline))
      : null;
  const prev = prevHeadline ? ratesOf(prevHeadline) : null;
  const prevTime = prev?.average_response_time ?? null;
  const periodEnd = input.period.end;
  const lastRuns = sortRunsNewestFirst(
    input.history.filter((r) => periodEnd === null || r.started_at < periodEnd),
  )
    .slice(0, SPARKLINE_RUNS)
    .reverse();
  const series = lastRuns.map((r) => ({
    run_id: r.run_id,
    started_at: r.started_at,
    qualification_rate: ratio(r.headline.qualified, r.headline.companies),
  }));
  return {
    previous_period: input.previous
      ? { start: input.previous.start, end: input.previous.end, runs: input.previous.runs.length }
      : null,
    tier_1_targets: trend(totals.tiers['Tier 1'].count, prevHeadline?.tier_1 ?? null, 0),
    companies_discovered: trend(totals.companies, prevHeadline?.companies ?? null, 0),
    qualification_rate: trend(
      now.qualification_rate,
      prev?.qualification_rate ?? null,
      TOLERANCE.qualification_rate,
    ),
    api_success_rate: trend(now.api_success_rate, prev?.api_success_rate ?? null, TOLERANCE.api_success_rate),
    average_response_time: trend(
      now.average_response_time,
      prevTime,
      prevTime === null ? 0 : prevTime * TOLERANCE.average_response_time_relative,
    ),
    qualification_rate_sparkline: {
      runs: series,
      chart: sparkline(series.flatMap((s) => (s.qualification_rate === null ? [] : [s.qualification_rate]))),
    },
  };
}

/** The campaign section of the period (`totals` given) or of the previous period (`totals` null: no assignments). */
function campaignSectionOf(input: DashboardInput, totals: Totals | null): CampaignSection {
  const window = totals ? input.period : (input.previous ?? { start: null, end: null });
  const picked = campaignPeriodTotals(input.campaigns ?? [], window, input.period);
  return computeCampaignSection({
    totals: picked.totals,
    assigned: Object.fromEntries(CAMPAIGNS.map((c) => [c, totals?.campaigns[c] ?? 0])) as Record<
      Campaign,
      number
    >,
    roi: input.settings.roi ?? defaultRoiByChannel(),
    updates: picked.updates,
    currency: input.settings.currency ?? null,
  });
}

export function computeDashboard(input: DashboardInput): DashboardModel {
  const { totals, scoreSets } = mergeRunAggregates(input.current);
  let unscoredCompanies = 0;
  for (const aggregate of input.current)
    if (isUnscoredRun(aggregate)) unscoredCompanies += aggregate.companies;
  const thresholds = input.settings.thresholds ?? { ...THRESHOLDS };
  const summary = summarize(totals, thresholds);
  const search = searchPerformance(totals, { rate_limit: input.settings.rate_limit, thresholds });
  const qualification = qualificationAnalytics(totals, scoreSets);
  const starts = input.current.map((a) => a.started_at).sort();
  const campaigns = Object.fromEntries(CAMPAIGN_SLOTS.map((c) => [c, totals.campaigns[c]])) as Record<
    CampaignSlot,
    number
  >;
  const campaignSection = campaignSectionOf(input, totals);
  const previousCampaigns = input.previous ? campaignSectionOf(input, null) : null;
  return {
    version: 1,
    generated_at: input.generatedAt.toISOString(),
    currency: input.settings.currency ?? null,
    thresholds,
    period: input.period,
    runs: {
      count: input.current.length,
      first_started_at: starts[0] ?? null,
      last_started_at: starts[starts.length - 1] ?? null,
    },
    executive_summary: summary,
    search_performance: search,
    qualification_analytics: qualification,
    campaign_performance: {
      companies_assigned: totals.companies - totals.campaigns.Unassigned,
      campaign_distribution: campaigns,
      ...campaignSection,
    },
    funnel: computeFunnel({
      discovered: totals.companies,
      qualified: totals.qualified,
      assigned: totals.companies - totals.campaigns.Unassigned,
      tier1: totals.tiers['Tier 1'].count,
      credits: totals.api.credits,
      creditCost: input.settings.credit_cost ?? null,
      campaigns: campaignSection.totals,
    }),
    recommendations: recommend(summary, search, qualification, { unscoredCompanies, thresholds }),
    trends: { ...trends(totals, input), ...computeCampaignTrends(campaignSection, previousCampaigns) },
    upload_warnings: uploadWarningsOf(input.currentRuns ?? [], unscoredCompanies),
  };
}

/** A run with no score and no tier at all (stored before warnings were kept, too). */
function isUnscoredRun(aggregate: RunAggregate): boolean {
  return aggregate.companies > 0 && aggregate.scored === 0 && aggregate.qualified === 0;
}

function uploadWarningsOf(runs: readonly RunMeta[], unscoredCompanies: number): UploadWarnings {
  const warnings: UploadWarnings['warnings'] = [];
  let runsWithWarnings = 0;
  for (const run of runs) {
    if (!run.warnings || run.warnings.length === 0) continue;
    runsWithWarnings++;
    for (const w of run.warnings) warnings.push({ run_id: run.run_id, code: w.code, message: w.message });
  }
  return { runs_with_warnings: runsWithWarnings, warnings, unscored_companies: unscoredCompanies };
}
