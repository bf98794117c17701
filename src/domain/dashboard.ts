/**
 * The performance dashboard: one pure function from stored aggregates to the JSON model that the
 * Slack message, the exports and the offline report all print. Rates are fractions 0..1, times
 * are seconds, and every figure is measured from the runs given; nothing is asserted.
 */

import {
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
  type Funnel,
  type RoiAssumptions,
} from './campaign-metrics.js';
import type { CampaignUpdate } from './campaigns.js';
import { formatInt, formatPercent, formatScore, formatSeconds, ratio, round, sparkline } from './format.js';
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
import type { PeriodInfo } from './period.js';
import type { RunMeta } from './run-meta.js';
import { sortRunsNewestFirst } from './run-meta.js';
import { addScoreSummaries, medianOfScoreSets, type ScoreSet } from './score-set.js';
import { THRESHOLDS } from './thresholds.js';
import { computeTrend, type Trend } from './trend.js';

export { DEFAULT_RATE_LIMIT, THRESHOLDS } from './thresholds.js';
export type { Direction, Trend } from './trend.js';
export const SPARKLINE_RUNS = 8;

export type OverallPerformance = 'Excellent' | 'Good' | 'Needs Improvement' | 'No data';

export interface ExecutiveSummary {
  total_companies_discovered: number;
  total_companies_qualified: number;
  qualification_rate: number | null;
  tier_1_targets: number;
  tier_2_targets: number;
  tier_3_targets: number;
  high_priority_opportunities: number;
  overall_performance: OverallPerformance;
}

export interface EndpointPerformance {
  endpoint: string;
  total_calls: number;
  successful_calls: number;
  failed_calls: number;
  success_rate: number;
  average_response_time: number | null;
  max_response_time: number | null;
  credits_used: number;
  rate_limited_calls: number;
  status_codes: Record<string, number>;
}

export interface SearchPerformance {
  /** `calls` when runs carried call logs, `metrics` when only summary figures, `none` when no API data. */
  source: 'calls' | 'metrics' | 'none';
  total_calls: number;
  successful_calls: number;
  failed_calls: number;
  success_rate: number | null;
  average_response_time: number | null;
  total_credits_used: number;
  error_rate: number | null;
  rate_limited_calls: number;
  rate_limit_status: {
    rate_limit: number;
    peak_requests_per_minute: number | null;
    peak_usage: number | null;
  };
  endpoints: EndpointPerformance[];
  performance_issues: string[];
}

export interface GroupAnalysis {
  name: string;
  count: number;
  share: number;
  scored: number;
  average_score: number | null;
  high_scorers: number;
  tier_1_count: number;
}

export interface TierBreakdown {
  count: number;
  /** Fraction of all companies in the period. */
  share: number;
  scored: number;
  average_score: number | null;
  min_score: number | null;
  max_score: number | null;
}

export interface QualificationAnalytics {
  score_distribution: {
    scored: number;
    unscored: number;
    min_score: number | null;
    max_score: number | null;
    average_score: number | null;
    median_score: number | null;
    score_ranges: Record<ScoreBucket, number>;
  };
  tier_breakdown: Record<Tier, TierBreakdown>;
  quality_score: { count: number; average: number | null };
  industry_analysis: GroupAnalysis[];
  size_analysis: GroupAnalysis[];
  geographic_analysis: GroupAnalysis[];
}

export interface Recommendation {
  area: 'api' | 'qualification';
  message: string;
  metric: string;
  value: number;
  threshold: number | null;
}

export interface Trends extends CampaignTrends {
  previous_period: { start: string | null; end: string | null; runs: number } | null;
  qualification_rate: Trend;
  api_success_rate: Trend;
  average_response_time: Trend;
  qualification_rate_sparkline: {
    runs: Array<{ run_id: string; started_at: string; qualification_rate: number | null }>;
    chart: string;
  };
}

export interface DashboardModel {
  version: 1;
  generated_at: string;
  period: PeriodInfo;
  runs: { count: number; first_started_at: string | null; last_started_at: string | null };
  executive_summary: ExecutiveSummary;
  search_performance: SearchPerformance;
  qualification_analytics: QualificationAnalytics;
  /** The seed's campaign section: run assignments plus the recorded campaign results (campaigns.ts). */
  campaign_performance: {
    companies_assigned: number;
    campaign_distribution: Record<CampaignSlot, number>;
  } & CampaignSection;
  /** Discovered -> qualified -> assigned -> contacted -> responded -> converted. */
  funnel: Funnel;
  recommendations: Recommendation[];
  trends: Trends;
}

export interface DashboardSettings {
  rate_limit: number;
  /** ROI assumptions per channel; the seed's defaults when absent. */
  roi?: Record<Campaign, RoiAssumptions>;
  /** Money per Apollo credit, for the funnel's cost per account; null or absent: credits only. */
  credit_cost?: number | null;
}

export interface DashboardInput {
  period: PeriodInfo;
  /** Aggregates of the runs in the period. */
  current: readonly RunAggregate[];
  /** Index entries of the period before (null: no previous period, as for `all`). */
  previous: { start: string | null; end: string | null; runs: readonly RunMeta[] } | null;
  /** Index entries of every run, for the sparkline of the last runs up to the period's end. */
  history: readonly RunMeta[];
  settings: DashboardSettings;
  generatedAt: Date;
  /** Every recorded campaign update of the workspace; the period's dates are picked here. */
  campaigns?: readonly CampaignUpdate[];
}

function overall(rate: number | null): OverallPerformance {
  if (rate === null) return 'No data';
  if (rate > THRESHOLDS.qualification_excellent) return 'Excellent';
  if (rate > THRESHOLDS.qualification_good) return 'Good';
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

function summarize(t: Totals): ExecutiveSummary {
  const rate = ratio(t.qualified, t.companies);
  return {
    total_companies_discovered: t.companies,
    total_companies_qualified: t.qualified,
    qualification_rate: rate,
    tier_1_targets: t.tiers['Tier 1'].count,
    tier_2_targets: t.tiers['Tier 2'].count,
    tier_3_targets: t.tiers['Tier 3'].count,
    high_priority_opportunities: t.tiers['Tier 1'].count,
    overall_performance: overall(rate),
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
  settings: Pick<DashboardSettings, 'rate_limit'>,
): SearchPerformance {
  const api = t.api;
  const successRate = ratio(api.successful, api.total);
  const errorRate = ratio(api.failed, api.total);
  const avg = api.successful > 0 ? round(api.rt_sum / api.successful) : null;
  const issues: string[] = [];
  if (successRate !== null && successRate < THRESHOLDS.success_rate) {
    issues.push(`Low API success rate - check API key and rate limits (${formatPercent(successRate)} < 95%)`);
  }
  if (avg !== null && avg > THRESHOLDS.average_response_time) {
    issues.push(`Slow API response times - consider optimizing requests (${formatSeconds(avg)} > 2.00s)`);
  }
  if (errorRate !== null && errorRate > THRESHOLDS.error_rate) {
    issues.push(`High error rate - review API usage patterns (${formatPercent(errorRate)} > 5%)`);
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

function analyseGroups(groups: Record<string, GroupStat>, total: number): GroupAnalysis[] {
  return Object.entries(groups).map(([name, g]) => ({
    name,
    count: g.count,
    share: ratio(g.count, total) ?? 0,
    scored: g.scored,
    average_score: g.scored > 0 ? round(g.score_sum / g.scored) : null,
    high_scorers: g.high_scorers,
    tier_1_count: g.tier_1,
  }));
}

/** Most companies first, `Unknown` last, ties by name. */
function byCount(a: GroupAnalysis, b: GroupAnalysis): number {
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
    industry_analysis: analyseGroups(t.industries, t.companies).sort(byCount),
    size_analysis: analyseGroups(t.sizes, t.companies).sort(
      (a, b) => bandOrder.indexOf(a.name) - bandOrder.indexOf(b.name),
    ),
    geographic_analysis: analyseGroups(t.countries, t.companies).sort(byCount),
  };
}

/** Groups large enough to judge: at least this many companies and this share of the period. */
const MIN_GROUP = 10;
const MIN_GROUP_SHARE = 0.05;
const LOW_GROUP_SCORE = 50;
const GOOD_GROUP_SCORE = 70;
const LOW_TIER1_SHARE = 0.1;
const UNKNOWN_SHARE = 0.2;

function recommend(
  summary: ExecutiveSummary,
  search: SearchPerformance,
  q: QualificationAnalytics,
): Recommendation[] {
  const recs: Recommendation[] = [];
  const { success_rate, average_response_time, error_rate, rate_limited_calls, rate_limit_status } = search;
  if (success_rate !== null && success_rate < THRESHOLDS.success_rate) {
    recs.push({
      area: 'api',
      message: `Improve API reliability - check rate limits and error handling: success rate is ${formatPercent(success_rate)}, below 95%.`,
      metric: 'success_rate',
      value: success_rate,
      threshold: THRESHOLDS.success_rate,
    });
  }
  if (average_response_time !== null && average_response_time > THRESHOLDS.average_response_time) {
    recs.push({
      area: 'api',
      message: `Optimize API calls - consider batching or parallel processing: average response time is ${formatSeconds(average_response_time)}, above 2.00s.`,
      metric: 'average_response_time',
      value: average_response_time,
      threshold: THRESHOLDS.average_response_time,
    });
  }
  if (error_rate !== null && error_rate > THRESHOLDS.error_rate) {
    const worst = search.endpoints
      .filter((e) => e.failed_calls > 0)
      .sort((a, b) => b.failed_calls - a.failed_calls)[0];
    recs.push({
      area: 'api',
      message: `Review API usage patterns: error rate is ${formatPercent(error_rate)}, above 5%${worst ? `; most failures on ${worst.endpoint} (${formatInt(worst.failed_calls)})` : ''}.`,
      metric: 'error_rate',
      value: error_rate,
      threshold: THRESHOLDS.error_rate,
    });
  }
  if (rate_limited_calls > 0) {
    recs.push({
      area: 'api',
      message: `Back off when Apollo throttles: ${formatInt(rate_limited_calls)} call${rate_limited_calls === 1 ? ' was' : 's were'} rate-limited (HTTP 429); honour retry-after and pace requests.`,
      metric: 'rate_limited_calls',
      value: rate_limited_calls,
      threshold: 0,
    });
  }
  const { peak_usage, peak_requests_per_minute, rate_limit } = rate_limit_status;
  if (peak_usage !== null && peak_requests_per_minute !== null && peak_usage > THRESHOLDS.rate_limit_usage) {
    recs.push({
      area: 'api',
      message: `Spread requests out: the peak was ${formatInt(peak_requests_per_minute)} requests in one minute, ${formatPercent(peak_usage, 0)} of the ${formatInt(rate_limit)}/min limit.`,
      metric: 'peak_usage',
      value: peak_usage,
      threshold: THRESHOLDS.rate_limit_usage,
    });
  }

  const discovered = summary.total_companies_discovered;
  const rate = summary.qualification_rate;
  if (rate !== null && rate < THRESHOLDS.qualification_good) {
    recs.push({
      area: 'qualification',
      message: `Refine the Apollo search filters toward the ICP: only ${formatPercent(rate)} of ${formatInt(discovered)} discovered companies qualified, below 10%.`,
      metric: 'qualification_rate',
      value: rate,
      threshold: THRESHOLDS.qualification_good,
    });
  }
  const qualified = summary.total_companies_qualified;
  if (qualified >= MIN_GROUP) {
    const tier1Share = summary.tier_1_targets / qualified;
    if (tier1Share < LOW_TIER1_SHARE) {
      recs.push({
        area: 'qualification',
        message: `Few high-priority targets: Tier 1 is ${formatPercent(tier1Share)} of ${formatInt(qualified)} qualified companies; weight the search toward the best-scoring segments.`,
        metric: 'tier_1_share',
        value: round(tier1Share),
        threshold: LOW_TIER1_SHARE,
      });
    }
  }
  const judged = q.industry_analysis.filter(
    (g) =>
      g.name !== UNKNOWN && g.count >= MIN_GROUP && g.share >= MIN_GROUP_SHARE && g.average_score !== null,
  );
  const best = [...judged].sort((a, b) => (b.average_score ?? 0) - (a.average_score ?? 0))[0];
  if (best && (best.average_score ?? 0) >= GOOD_GROUP_SCORE) {
    recs.push({
      area: 'qualification',
      message: `Focus on ${best.name}: mean ICP score ${formatScore(best.average_score)} over ${formatInt(best.count)} companies, ${formatInt(best.tier_1_count)} of them Tier 1.`,
      metric: 'industry_average_score',
      value: best.average_score ?? 0,
      threshold: GOOD_GROUP_SCORE,
    });
  }
  for (const g of judged) {
    if ((g.average_score ?? 0) < LOW_GROUP_SCORE) {
      recs.push({
        area: 'qualification',
        message: `Narrow or exclude ${g.name}: ${formatPercent(g.share)} of discovered companies with a mean ICP score of ${formatScore(g.average_score)}.`,
        metric: 'industry_average_score',
        value: g.average_score ?? 0,
        threshold: LOW_GROUP_SCORE,
      });
    }
  }
  const unscored = q.score_distribution.unscored;
  if (unscored > 0) {
    recs.push({
      area: 'qualification',
      message: `Score every company: ${formatInt(unscored)} of ${formatInt(discovered)} have no ICP score and are left out of score statistics.`,
      metric: 'unscored',
      value: unscored,
      threshold: 0,
    });
  }
  const unknownIndustry = q.industry_analysis.find((g) => g.name === UNKNOWN);
  if (unknownIndustry && unknownIndustry.share > UNKNOWN_SHARE) {
    recs.push({
      area: 'qualification',
      message: `Enrich firmographics: ${formatPercent(unknownIndustry.share)} of companies have no industry (Apollo search results may omit it; organization enrichment fills it).`,
      metric: 'unknown_industry_share',
      value: unknownIndustry.share,
      threshold: UNKNOWN_SHARE,
    });
  }
  return recs;
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
  const prev = input.previous ? ratesOf(sumHeadlines(input.previous.runs.map((r) => r.headline))) : null;
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
  });
}

export function computeDashboard(input: DashboardInput): DashboardModel {
  const { totals, scoreSets } = mergeRunAggregates(input.current);
  const summary = summarize(totals);
  const search = searchPerformance(totals, input.settings);
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
    recommendations: recommend(summary, search, qualification),
    trends: { ...trends(totals, input), ...computeCampaignTrends(campaignSection, previousCampaigns) },
  };
}
