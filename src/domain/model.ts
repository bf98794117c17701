/**
 * The run model: what one execution of the Apollo "Find Accounts" workflow produced.
 * Types only (plus the closed vocabularies); parsing lives in parse-run.ts.
 */

export const TIERS = ['Tier 1', 'Tier 2', 'Tier 3', 'Unqualified'] as const;
export type Tier = (typeof TIERS)[number];

export const CAMPAIGNS = ['Email', 'LinkedIn', 'Content'] as const;
export type Campaign = (typeof CAMPAIGNS)[number];

/** Employee bands for the size analysis; a company without a head count is `Unknown`. */
export const SIZE_BANDS = [
  '1-10',
  '11-50',
  '51-200',
  '201-500',
  '501-1000',
  '1001-5000',
  '5001-10000',
  '10001+',
] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

/** The seed's score buckets, made half-open so a fractional score such as 89.5 lands in 80-89. */
export const SCORE_BUCKETS = ['90-100', '80-89', '70-79', '60-69', '50-59', '0-49'] as const;
export type ScoreBucket = (typeof SCORE_BUCKETS)[number];

export const UNKNOWN = 'Unknown';

export interface Company {
  name: string;
  domain?: string;
  industry?: string;
  employees?: number;
  country?: string;
  state?: string;
  city?: string;
  /** 0..100; absent means unscored (left out of score statistics, never a 0). */
  icp_score?: number;
  /** Absent in the input means Unqualified, as in the seed. */
  tier: Tier;
  campaign?: Campaign;
}

export interface ApiCall {
  /** ISO-8601 instant. */
  timestamp: string;
  endpoint: string;
  /** Seconds. */
  response_time: number;
  status_code: number;
  credits_used: number;
}

/** Summary figures a pipeline may send instead of a call log. Rates are fractions 0..1. */
export interface ApiMetrics {
  total_calls: number;
  success_rate: number;
  avg_response_time: number;
  credits_used: number;
  error_rate: number;
}

export interface Run {
  run_id: string;
  /** ISO-8601 instant. */
  started_at: string;
  label?: string;
  companies: Company[];
  api_calls: ApiCall[];
  api_metrics?: ApiMetrics;
  quality_scores: number[];
}

export function sizeBandOf(employees: number | undefined): SizeBand | typeof UNKNOWN {
  if (employees === undefined || !Number.isFinite(employees) || employees < 1) return UNKNOWN;
  if (employees <= 10) return '1-10';
  if (employees <= 50) return '11-50';
  if (employees <= 200) return '51-200';
  if (employees <= 500) return '201-500';
  if (employees <= 1000) return '501-1000';
  if (employees <= 5000) return '1001-5000';
  if (employees <= 10000) return '5001-10000';
  return '10001+';
}

export function scoreBucketOf(score: number): ScoreBucket {
  if (score >= 90) return '90-100';
  if (score >= 80) return '80-89';
  if (score >= 70) return '70-79';
  if (score >= 60) return '60-69';
  if (score >= 50) return '50-59';
  return '0-49';
}

export function isQualified(tier: Tier): boolean {
  return tier !== 'Unqualified';
}

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}
