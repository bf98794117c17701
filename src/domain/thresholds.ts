/** The seed's thresholds, defined once: the dashboard judges with them and alerts default to them. */
export const THRESHOLDS = {
  success_rate: 0.95,
  average_response_time: 2.0,
  error_rate: 0.05,
  qualification_excellent: 0.15,
  qualification_good: 0.1,
  rate_limit_usage: 0.9,
  /** Rate-limited (429) calls as a share of a run's calls: a problem above 1 %, over below 0.5 %. */
  rate_limited_share: 0.01,
  rate_limited_recovery: 0.005,
} as const;

/** The thresholds the dashboard judges with: the seed's, or a workspace's alert rules (alert-thresholds.ts). */
export type Thresholds = { -readonly [K in keyof typeof THRESHOLDS]: number };

/** A threshold share for people: "95%", "97.5%" (no trailing ".0", as the seed wrote them). */
export function formatThresholdPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

/** Apollo requests per minute assumed until `settings rate_limit=` says otherwise. */
export const DEFAULT_RATE_LIMIT = 100;
