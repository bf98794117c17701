/** The dashboard model's shape: what computeDashboard returns and what it takes. */

import type { CampaignSlot, RunAggregate } from './aggregate.js';
import type { CampaignSection, CampaignTrends, Funnel, RoiAssumptions } from './campaign-metrics.js';
import type { CampaignUpdate } from './campaigns.js';
import type { Campaign, ScoreBucket, Tier } from './model.js';
import type { PeriodInfo } from './period.js';
import type { ReadWarningCode } from './read/warnings.js';
import type { RunMeta } from './run-meta.js';
import type { Thresholds } from './thresholds.js';
import type { Trend } from './trend.js';

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

/**
 * The named groups a table keeps (most companies first); the rest are added up in one group named
 * `OTHER_GROUPS`, so a run with 100,000 distinct industries still renders, compares and exports in time.
 */
export const MAX_NAMED_GROUPS = 100;
export const OTHER_GROUPS = 'All others';

export interface GroupAnalysis {
  name: string;
  /** On the `OTHER_GROUPS` group only: how many distinct names it holds. */
  names?: number;
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
  /** Tier 1 accounts: the headline figure. */
  tier_1_targets: Trend;
  companies_discovered: Trend;
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
  upload_warnings: UploadWarnings;
  /** ISO 4217 code every money figure is shown in (`settings currency=`); null: plain amounts. */
  currency: string | null;
  /** What the status, the issues and the recommendations were judged with: the workspace's alert rules. */
  thresholds: Thresholds;
}

export interface DashboardSettings {
  rate_limit: number;
  /** ROI assumptions per channel; the seed's defaults when absent. */
  roi?: Record<Campaign, RoiAssumptions>;
  /** Money per Apollo credit, for the funnel's cost per account; null or absent: credits only. */
  credit_cost?: number | null;
  /** ISO 4217 code for money (`settings currency=`); null or absent: plain amounts. */
  currency?: string | null;
  /** The workspace's alert thresholds (alert-thresholds.ts); the seed's when absent. */
  thresholds?: Thresholds;
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
  /** Index entries of the runs in the period, for the warnings their uploads came with. */
  currentRuns?: readonly RunMeta[];
}

/** What the uploads of the period's runs came with (a People export, no scores, an encoding …). */
export interface UploadWarnings {
  runs_with_warnings: number;
  warnings: Array<{ run_id: string; code: ReadWarningCode; message: string }>;
  /** Companies of runs with no score and no tier at all: their Unqualified says nothing about the search. */
  unscored_companies: number;
}
