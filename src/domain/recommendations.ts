import type {
  ExecutiveSummary,
  QualificationAnalytics,
  Recommendation,
  SearchPerformance,
} from './dashboard-model.js';
import { formatInt, formatPercent, formatScore, formatSeconds, ratio, round } from './format.js';
import { UNKNOWN } from './model.js';
import { formatThresholdPercent, THRESHOLDS, type Thresholds } from './thresholds.js';

/** Groups large enough to judge: at least this many companies and this share of the period. */
export const MIN_GROUP = 10;
export const MIN_GROUP_SHARE = 0.05;
export const LOW_GROUP_SCORE = 50;
export const GOOD_GROUP_SCORE = 70;
export const LOW_TIER1_SHARE = 0.1;
export const UNKNOWN_SHARE = 0.2;

export function recommend(
  summary: ExecutiveSummary,
  search: SearchPerformance,
  q: QualificationAnalytics,
  options: {
    /** Companies of runs with no score and no tier at all (0 when none). */
    unscoredCompanies?: number;
    /** The workspace's alert thresholds; the seed's when absent. */
    thresholds?: Thresholds;
  } = {},
): Recommendation[] {
  const unscoredCompanies = options.unscoredCompanies ?? 0;
  const th = options.thresholds ?? THRESHOLDS;
  const recs: Recommendation[] = [];
  const { success_rate, average_response_time, error_rate, rate_limited_calls, rate_limit_status } = search;
  if (success_rate !== null && success_rate < th.success_rate) {
    recs.push({
      area: 'api',
      message: `Improve API reliability - check rate limits and error handling: success rate is ${formatPercent(success_rate)}, below ${formatThresholdPercent(th.success_rate)}.`,
      metric: 'success_rate',
      value: success_rate,
      threshold: th.success_rate,
    });
  }
  if (average_response_time !== null && average_response_time > th.average_response_time) {
    recs.push({
      area: 'api',
      message: `Optimize API calls - consider batching or parallel processing: average response time is ${formatSeconds(average_response_time)}, above ${formatSeconds(th.average_response_time)}.`,
      metric: 'average_response_time',
      value: average_response_time,
      threshold: th.average_response_time,
    });
  }
  if (error_rate !== null && error_rate > th.error_rate) {
    const worst = search.endpoints
      .filter((e) => e.failed_calls > 0)
      .sort((a, b) => b.failed_calls - a.failed_calls)[0];
    recs.push({
      area: 'api',
      message: `Review API usage patterns: error rate is ${formatPercent(error_rate)}, above ${formatThresholdPercent(th.error_rate)}${worst ? `; most failures on ${worst.endpoint} (${formatInt(worst.failed_calls)})` : ''}.`,
      metric: 'error_rate',
      value: error_rate,
      threshold: th.error_rate,
    });
  }
  const limitedShare = search.total_calls > 0 ? rate_limited_calls / search.total_calls : null;
  if (limitedShare !== null && limitedShare > th.rate_limited_share) {
    recs.push({
      area: 'api',
      message: `Back off when Apollo throttles: ${formatInt(rate_limited_calls)} call${rate_limited_calls === 1 ? ' was' : 's were'} rate-limited (HTTP 429), ${formatPercent(limitedShare)} of calls (alert above ${formatPercent(th.rate_limited_share)}); honour retry-after and pace requests.`,
      metric: 'rate_limited_calls',
      value: rate_limited_calls,
      threshold: Math.floor(th.rate_limited_share * search.total_calls),
    });
  }
  const { peak_usage, peak_requests_per_minute, rate_limit } = rate_limit_status;
  if (peak_usage !== null && peak_requests_per_minute !== null && peak_usage > th.rate_limit_usage) {
    recs.push({
      area: 'api',
      message: `Spread requests out: the peak was ${formatInt(peak_requests_per_minute)} requests in one minute, ${formatPercent(peak_usage, 0)} of the ${formatInt(rate_limit)}/min limit.`,
      metric: 'peak_usage',
      value: peak_usage,
      threshold: th.rate_limit_usage,
    });
  }

  // Companies of runs that carried no score or tier are Unqualified only because nothing was scored:
  // they say nothing about the search filters, so the advice is judged on the scored runs alone.
  const discovered = summary.total_companies_discovered - unscoredCompanies;
  const rate = ratio(summary.total_companies_qualified, discovered);
  if (rate !== null && rate < th.qualification_good) {
    const leftOut =
      unscoredCompanies > 0 ? ` (${formatInt(unscoredCompanies)} companies of unscored runs left out)` : '';
    recs.push({
      area: 'qualification',
      message: `Refine the Apollo search filters toward the ICP: only ${formatPercent(rate)} of ${formatInt(discovered)} discovered companies qualified, below ${formatThresholdPercent(th.qualification_good)}${leftOut}.`,
      metric: 'qualification_rate',
      value: rate,
      threshold: th.qualification_good,
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
      g.name !== UNKNOWN &&
      g.names === undefined &&
      g.count >= MIN_GROUP &&
      g.share >= MIN_GROUP_SHARE &&
      g.average_score !== null,
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

/** The one status line of the dashboard: never "Excellent" while an alert is open or the API breaches. */
export interface DashboardStatus {
  level: 'good' | 'attention' | 'none';
  /** "Excellent", "Good", "Needs Improvement", "Needs attention" or "No data". */
  label: string;
  /** What keeps it from being good, each naming its figure. */
  reasons: string[];
}

/** The API figures past the thresholds the alerts judge with, each named with its value. */
export function apiBreaches(search: SearchPerformance, thresholds: Thresholds = THRESHOLDS): string[] {
  const th = thresholds;
  const out: string[] = [];
  const { success_rate, error_rate, average_response_time, rate_limited_calls, total_calls } = search;
  if (success_rate !== null && success_rate < th.success_rate) {
    out.push(
      `API success rate ${formatPercent(success_rate)} (error rate ${formatPercent(error_rate)}), below ${formatPercent(th.success_rate)}`,
    );
  } else if (error_rate !== null && error_rate > th.error_rate) {
    out.push(`API error rate ${formatPercent(error_rate)}, above ${formatPercent(th.error_rate)}`);
  }
  if (average_response_time !== null && average_response_time > th.average_response_time) {
    out.push(
      `avg response ${formatSeconds(average_response_time)}, above ${formatSeconds(th.average_response_time)}`,
    );
  }
  const share = total_calls > 0 ? rate_limited_calls / total_calls : null;
  if (share !== null && share > th.rate_limited_share) {
    out.push(
      `${formatPercent(share)} of calls rate-limited (429), above ${formatPercent(th.rate_limited_share)}`,
    );
  }
  const peak = search.rate_limit_status.peak_usage;
  if (peak !== null && peak > th.rate_limit_usage) {
    out.push(
      `peak ${formatPercent(peak, 0)} of the rate limit, above ${formatThresholdPercent(th.rate_limit_usage)}`,
    );
  }
  return out;
}

export function dashboardStatus(
  model: {
    runs: { count: number };
    executive_summary: ExecutiveSummary;
    search_performance: SearchPerformance;
    /** What the model was judged with (the workspace's alert thresholds); the seed's when absent. */
    thresholds?: Thresholds;
  },
  openAlerts: number,
): DashboardStatus {
  const th = model.thresholds ?? THRESHOLDS;
  if (model.runs.count === 0) return { level: 'none', label: 'No data', reasons: [] };
  const reasons: string[] = [];
  if (openAlerts > 0) reasons.push(`${formatInt(openAlerts)} open alert${openAlerts === 1 ? '' : 's'}`);
  reasons.push(...apiBreaches(model.search_performance, th));
  const overall = model.executive_summary.overall_performance;
  if (reasons.length > 0) return { level: 'attention', label: 'Needs attention', reasons };
  if (overall === 'Needs Improvement') {
    return {
      level: 'attention',
      label: overall,
      reasons: [
        `qualification rate ${formatPercent(model.executive_summary.qualification_rate)}, at or below ${formatPercent(th.qualification_good)}`,
      ],
    };
  }
  return { level: overall === 'No data' ? 'none' : 'good', label: overall, reasons: [] };
}
