/**
 * Threshold alerts as incidents: the rules and their defaults (the seed's thresholds).
 *
 * The alerts core is pure and spread along its seams: rules.ts, state.ts, measure.ts, evaluate.ts,
 * change.ts and summary.ts. The alert state and a run's measured figures go in, the next state and
 * the messages to send come out. No clock, no Slack, no store.
 *
 * One incident per rule at a time. A rule that starts breaching opens one; further breaching runs
 * update it in place (and reply in its thread at most once per repeat interval); a run past the
 * rule's recovery threshold (hysteresis) resolves it. Mutes and a missing channel hold back
 * messages, never the bookkeeping: an incident that could not be announced is announced at the
 * next evaluation once it can be.
 */

import { ALERTS_DOCUMENT } from '../../domain/alert-thresholds.js';
import { formatInt, formatPercent, formatSeconds } from '../../domain/format.js';
import { THRESHOLDS } from '../../domain/thresholds.js';

/** The alert state's store document (named in the domain, which reads its thresholds for the dashboard). */
export const ALERTS_DOC = ALERTS_DOCUMENT;

export const ALERT_RULE_IDS = [
  'success_rate',
  'response_time',
  'error_rate',
  'qualification_rate',
  'rate_limited',
  'peak_usage',
] as const;
export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

export type RuleUnit = 'percent' | 'seconds' | 'count';

export interface AlertRuleDef {
  id: AlertRuleId;
  /** For people: "API success rate". */
  name: string;
  /** Breaches when the value is below (or above) the threshold. */
  direction: 'below' | 'above';
  unit: RuleUnit;
  /** What a run must carry to be judged: API calls, a call log (timestamps, status codes) or companies. */
  evidence: 'api' | 'call_log' | 'companies';
  threshold: number;
  recovery: number;
  /** The seed's recommendation for this performance issue. */
  recommendation: string;
  /** The concrete next step, shown as "Do" in the incident. */
  next_step: string;
  aliases: readonly string[];
  /**
   * Another rule that measures the same failure: while that rule (enabled) has an open incident,
   * this one opens none of its own; that incident names both figures.
   */
  covered_by?: AlertRuleId;
}

/** The seed's performance issues, with its thresholds as defaults. Rates are fractions 0..1. */
export const ALERT_RULES: Record<AlertRuleId, AlertRuleDef> = {
  success_rate: {
    id: 'success_rate',
    name: 'API success rate',
    direction: 'below',
    unit: 'percent',
    evidence: 'api',
    threshold: THRESHOLDS.success_rate,
    recovery: 0.96,
    recommendation:
      'Low API success rate - check API key and rate limits. Improve API reliability - check rate limits and error handling.',
    next_step:
      'Look at the failing endpoint and status codes below: 401/403 means the API key or plan, 429 means pace the requests, 5xx means retry with backoff and check Apollo status.',
    aliases: ['success', 'api_success'],
  },
  response_time: {
    id: 'response_time',
    name: 'Average API response time',
    direction: 'above',
    unit: 'seconds',
    evidence: 'api',
    threshold: THRESHOLDS.average_response_time,
    recovery: 1.8,
    recommendation:
      'Slow API response times - consider optimizing requests. Optimize API calls - consider batching or parallel processing.',
    next_step:
      'Start with the slowest endpoint below: request smaller pages, batch enrichment calls, and run calls in parallel within the rate limit.',
    aliases: ['response', 'latency', 'avg_response_time', 'average_response_time'],
  },
  error_rate: {
    id: 'error_rate',
    name: 'API error rate',
    direction: 'above',
    unit: 'percent',
    evidence: 'api',
    threshold: THRESHOLDS.error_rate,
    recovery: 0.04,
    recommendation: 'High error rate - review API usage patterns.',
    next_step:
      'Look at the endpoint with the most failures and its status codes below: fix 4xx requests at the caller, retry 5xx with backoff.',
    aliases: ['errors', 'error'],
    covered_by: 'success_rate',
  },
  qualification_rate: {
    id: 'qualification_rate',
    name: 'Qualification rate',
    direction: 'below',
    unit: 'percent',
    evidence: 'companies',
    threshold: THRESHOLDS.qualification_good,
    recovery: 0.11,
    recommendation:
      'Overall performance "Needs Improvement" (the seed rates 10 % or less so) - refine the Apollo search filters toward the ICP.',
    next_step:
      'Tighten the Apollo search filters (industry, size, country) toward the groups with the highest scores on the dashboard.',
    aliases: ['qualification', 'qualified'],
  },
  rate_limited: {
    id: 'rate_limited',
    name: 'Rate-limited calls (429)',
    direction: 'above',
    unit: 'percent',
    evidence: 'call_log',
    threshold: THRESHOLDS.rate_limited_share,
    recovery: THRESHOLDS.rate_limited_recovery,
    recommendation:
      "Check API key and rate limits: honour Apollo's retry-after and pace requests (the seed's RateLimitTracker).",
    next_step:
      "Honour Apollo's Retry-After on the endpoint below and lower the request pace (`settings rate_limit=N`).",
    aliases: ['429', 'ratelimited', 'throttled'],
  },
  peak_usage: {
    id: 'peak_usage',
    name: 'Peak requests per minute',
    direction: 'above',
    unit: 'percent',
    evidence: 'call_log',
    threshold: THRESHOLDS.rate_limit_usage,
    recovery: 0.8,
    recommendation:
      'Spread requests out to stay under the per-minute rate limit (`settings rate_limit=N` is the limit compared against).',
    next_step:
      'Spread the calls out: add a delay between requests so the busiest minute stays under the limit.',
    aliases: ['peak', 'rate_limit_usage', 'peak_per_minute'],
  },
};

export const DEFAULT_ALERT_OPTIONS = {
  min_api_calls: 20,
  min_companies: 20,
  repeat_interval_ms: 4 * 3_600_000,
} as const;

export const MUTE_BUTTON_MS = 24 * 3_600_000;
/** Resolved incidents kept for the `alerts` view and the weekly digest. */
export const HISTORY_LIMIT = 50;
export const ENDPOINTS_KEPT = 5;

/** The rule an incident was judged by: its own unit when it has one (a 429 rule kept as a count). */
export function ruleOfIncident(incident: { rule: AlertRuleId; unit?: RuleUnit | undefined }): AlertRuleDef {
  const def = ALERT_RULES[incident.rule];
  return incident.unit === undefined || incident.unit === def.unit ? def : { ...def, unit: incident.unit };
}

/** "95.0%", "2.00s", "5 calls" (a 429 threshold kept as a count of calls). */
export function formatRuleValue(unit: RuleUnit, value: number): string {
  if (unit === 'percent') return formatPercent(value);
  if (unit === 'seconds') return formatSeconds(value);
  return `${formatInt(value)} call${value === 1 ? '' : 's'}`;
}
