/** Measuring a run for the alert rules: the same figures and definitions as the dashboard; judging each rule. */

import type { RunAggregate } from '../../domain/aggregate.js';
import { searchPerformance } from '../../domain/dashboard.js';
import { formatInt, ratio } from '../../domain/format.js';
import { ALERT_RULES, type AlertRuleId, ENDPOINTS_KEPT, type RuleUnit } from './rules.js';
import type { EndpointDetail, IncidentDetail, ResolvedAlertOptions, ResolvedRule, RunRef } from './state.js';

// ---------------------------------------------------------------------------------------------
// Measuring a run: the same figures and definitions as the dashboard.

export interface RunMeasurement {
  run: RunRef;
  api: {
    source: 'calls' | 'metrics' | 'none';
    total: number;
    successful: number;
    failed: number;
    success_rate: number | null;
    error_rate: number | null;
    /** Over successful calls, seconds. */
    average_response_time: number | null;
    rate_limited: number;
    peak_per_minute: number | null;
    /** Peak requests per minute as a fraction of the rate limit. */
    peak_usage: number | null;
    rate_limit: number;
    endpoints: EndpointDetail[];
  };
  companies: number;
  qualified: number;
  qualification_rate: number | null;
}

/** The figures the rules judge, from the run's stored aggregate (as the dashboard computes them). */
export function measureRun(aggregate: RunAggregate, options: { rateLimit: number }): RunMeasurement {
  // The same figures as the dashboard's API section, so an alert and the dashboard never disagree.
  const api = searchPerformance(aggregate, { rate_limit: options.rateLimit });
  const run: RunRef = { run_id: aggregate.run_id, started_at: aggregate.started_at };
  if (aggregate.label !== undefined) run.label = aggregate.label;
  const endpoints = api.endpoints.map(
    (ep): EndpointDetail => ({
      endpoint: ep.endpoint,
      total: ep.total_calls,
      failed: ep.failed_calls,
      success_rate: ep.success_rate,
      average_response_time: ep.average_response_time,
      max_response_time: ep.max_response_time,
      rate_limited: ep.rate_limited_calls,
      status_codes: ep.status_codes,
    }),
  );
  return {
    run,
    api: {
      source: api.source,
      total: api.total_calls,
      successful: api.successful_calls,
      failed: api.failed_calls,
      success_rate: api.success_rate,
      error_rate: api.error_rate,
      average_response_time: api.average_response_time,
      rate_limited: api.rate_limited_calls,
      peak_per_minute: api.rate_limit_status.peak_requests_per_minute,
      peak_usage: api.rate_limit_status.peak_usage,
      rate_limit: options.rateLimit,
      endpoints,
    },
    companies: aggregate.companies,
    qualified: aggregate.qualified,
    qualification_rate: ratio(aggregate.qualified, aggregate.companies),
  };
}

export type Judged = { value: number } | { value: null; note: string };

/** The rule's value for the run, or why the run is too little evidence to judge. */
export function judgeRule(
  rule: AlertRuleId,
  m: RunMeasurement,
  options: ResolvedAlertOptions,
  unit: RuleUnit = ALERT_RULES[rule].unit,
): Judged {
  const def = ALERT_RULES[rule];
  if (def.evidence === 'companies') {
    if (m.companies < options.min_companies || m.qualification_rate === null) {
      return {
        value: null,
        note: `${formatInt(m.companies)} companies in the run (minimum ${formatInt(options.min_companies)})`,
      };
    }
    return { value: m.qualification_rate };
  }
  if (m.api.total < options.min_api_calls) {
    return {
      value: null,
      note: `${formatInt(m.api.total)} API calls in the run (minimum ${formatInt(options.min_api_calls)})`,
    };
  }
  if (def.evidence === 'call_log' && m.api.source !== 'calls') {
    return { value: null, note: 'the run has summary API metrics but no call log' };
  }
  switch (rule) {
    case 'success_rate':
      return m.api.success_rate === null
        ? { value: null, note: 'no API calls' }
        : { value: m.api.success_rate };
    case 'error_rate':
      return m.api.error_rate === null ? { value: null, note: 'no API calls' } : { value: m.api.error_rate };
    case 'response_time':
      return m.api.average_response_time === null
        ? { value: null, note: 'no successful API call to time' }
        : { value: m.api.average_response_time };
    case 'rate_limited':
      // A share of the run's calls: a few 429s in a large run are Apollo pacing, not a problem.
      // A threshold kept as a count (set before shares) is judged as it was set.
      if (unit === 'count') return { value: m.api.rate_limited };
      return { value: ratio(m.api.rate_limited, m.api.total) ?? 0 };
    case 'peak_usage':
      return m.api.peak_usage === null ? { value: null, note: 'no call log' } : { value: m.api.peak_usage };
    default:
      return { value: null, note: 'not an API rule' };
  }
}

export function isBreaching(rule: ResolvedRule, value: number): boolean {
  return rule.def.direction === 'below' ? value < rule.threshold : value > rule.threshold;
}

export function isRecovered(rule: ResolvedRule, value: number): boolean {
  return rule.def.direction === 'below' ? value >= rule.recovery : value <= rule.recovery;
}

/** Worse of two values in the rule's direction. */
export function worse(rule: ResolvedRule, a: number, b: number): number {
  return rule.def.direction === 'below' ? Math.min(a, b) : Math.max(a, b);
}

export function endpointOrder(rule: AlertRuleId): (a: EndpointDetail, b: EndpointDetail) => number {
  const byName = (a: EndpointDetail, b: EndpointDetail) => a.endpoint.localeCompare(b.endpoint);
  switch (rule) {
    case 'response_time':
      return (a, b) => (b.average_response_time ?? -1) - (a.average_response_time ?? -1) || byName(a, b);
    case 'rate_limited':
      return (a, b) => b.rate_limited - a.rate_limited || b.failed - a.failed || byName(a, b);
    case 'peak_usage':
      return (a, b) => b.total - a.total || byName(a, b);
    default:
      return (a, b) => b.failed - a.failed || b.total - a.total || byName(a, b);
  }
}

/** What the incident message shows about the run: per-endpoint detail for API rules. */
export function incidentDetail(rule: AlertRuleId, m: RunMeasurement): IncidentDetail {
  if (ALERT_RULES[rule].evidence === 'companies') {
    return { api: null, companies: { discovered: m.companies, qualified: m.qualified } };
  }
  const sorted = [...m.api.endpoints].sort(endpointOrder(rule));
  return {
    api: {
      total: m.api.total,
      successful: m.api.successful,
      failed: m.api.failed,
      rate_limited: m.api.rate_limited,
      peak_per_minute: m.api.peak_per_minute,
      rate_limit: m.api.rate_limit,
      endpoints: sorted.slice(0, ENDPOINTS_KEPT),
      more_endpoints: Math.max(0, sorted.length - ENDPOINTS_KEPT),
    },
    companies: null,
  };
}
