/**
 * Threshold alerts as incidents. Pure: the alert state and a run's measured figures go in, the
 * next state and the messages to send come out. No clock, no Slack, no store.
 *
 * One incident per rule at a time. A rule that starts breaching opens one; further breaching runs
 * update it in place (and reply in its thread at most once per repeat interval); a run past the
 * rule's recovery threshold (hysteresis) resolves it. Mutes and a missing channel hold back
 * messages, never the bookkeeping: an incident that could not be announced is announced at the
 * next evaluation once it can be.
 */

import { z } from 'zod';
import type { RunAggregate } from '../../domain/aggregate.js';
import { searchPerformance } from '../../domain/dashboard.js';
import { formatInt, formatPercent, formatSeconds, ratio } from '../../domain/format.js';
import { THRESHOLDS } from '../../domain/thresholds.js';
import { formatLocalDateTime } from '../../domain/time.js';
import { AppError } from '../../errors.js';

export const ALERTS_DOC = 'alerts';

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
  aliases: readonly string[];
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
    aliases: ['errors', 'error'],
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
    aliases: ['qualification', 'qualified'],
  },
  rate_limited: {
    id: 'rate_limited',
    name: 'Rate-limited calls (429)',
    direction: 'above',
    unit: 'count',
    evidence: 'call_log',
    threshold: 0,
    recovery: 0,
    recommendation:
      "Check API key and rate limits: honour Apollo's retry-after and pace requests (the seed's RateLimitTracker).",
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
const ENDPOINTS_KEPT = 5;

// ---------------------------------------------------------------------------------------------
// State (one store document per workspace), validated when read back.

const runRefSchema = z.object({
  run_id: z.string(),
  started_at: z.string(),
  label: z.string().optional(),
});
export type RunRef = z.infer<typeof runRefSchema>;

const endpointDetailSchema = z.object({
  endpoint: z.string(),
  total: z.number(),
  failed: z.number(),
  success_rate: z.number().nullable(),
  average_response_time: z.number().nullable(),
  max_response_time: z.number().nullable(),
  rate_limited: z.number(),
  status_codes: z.record(z.string(), z.number()),
});
export type EndpointDetail = z.infer<typeof endpointDetailSchema>;

const incidentDetailSchema = z.object({
  api: z
    .object({
      total: z.number(),
      successful: z.number(),
      failed: z.number(),
      rate_limited: z.number(),
      peak_per_minute: z.number().nullable(),
      rate_limit: z.number(),
      endpoints: z.array(endpointDetailSchema),
      more_endpoints: z.number(),
    })
    .nullable(),
  companies: z.object({ discovered: z.number(), qualified: z.number() }).nullable(),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;

const incidentSchema = z.object({
  number: z.number().int(),
  rule: z.enum(ALERT_RULE_IDS),
  opened_at: z.string(),
  opened_run: runRefSchema,
  /** Where its message is; set once Slack confirmed the post. */
  channel: z.string().optional(),
  message_ts: z.string().optional(),
  threshold: z.number(),
  recovery: z.number(),
  first_value: z.number(),
  latest_value: z.number(),
  worst_value: z.number(),
  latest_run: runRefSchema,
  latest_at: z.string(),
  /** Runs past the alert threshold, the opening one included. */
  breaching_runs: z.number().int(),
  /** The opening post or the last thread reply, once confirmed. */
  last_reply_at: z.string().optional(),
  detail: incidentDetailSchema,
  acked_by: z.string().optional(),
  acked_at: z.string().optional(),
  resolved_at: z.string().optional(),
  resolved_run: runRefSchema.optional(),
  resolution: z.enum(['recovered', 'turned_off']).optional(),
  resolved_by: z.string().optional(),
  /** A resolve message is owed (its delivery failed or has not been confirmed yet). */
  resolve_pending: z.boolean().optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

const outcomeSchema = z.enum(['breach', 'recovering', 'ok', 'insufficient', 'off']);
export type EvaluationOutcome = z.infer<typeof outcomeSchema>;

const evaluationSchema = z.object({
  run_id: z.string(),
  at: z.string(),
  outcome: outcomeSchema,
  value: z.number().nullable(),
  note: z.string().optional(),
});
export type RuleEvaluation = z.infer<typeof evaluationSchema>;

const actionKindSchema = z.enum(['open', 'update', 'repeat', 'resolve']);
export type AlertActionKind = z.infer<typeof actionKindSchema>;

const ruleStateSchema = z.object({
  threshold: z.number().optional(),
  recovery: z.number().optional(),
  enabled: z.boolean().optional(),
  changed_by: z.string().optional(),
  changed_at: z.string().optional(),
  muted_until: z.string().optional(),
  muted_by: z.string().optional(),
  last_evaluation: evaluationSchema.optional(),
  last_notification: z
    .object({ at: z.string(), kind: actionKindSchema, incident: z.number().int() })
    .optional(),
  delivery_error: z
    .object({ at: z.string(), kind: actionKindSchema, incident: z.number().int(), error: z.string() })
    .optional(),
  incident: incidentSchema.optional(),
});
export type RuleState = z.infer<typeof ruleStateSchema>;

export const alertStateSchema = z.object({
  v: z.literal(1),
  channel: z
    .object({ id: z.string(), name: z.string().optional(), set_by: z.string(), set_at: z.string() })
    .nullable(),
  options: z.object({
    min_api_calls: z.number().int().optional(),
    min_companies: z.number().int().optional(),
    repeat_interval_ms: z.number().int().optional(),
  }),
  rules: z.partialRecord(z.enum(ALERT_RULE_IDS), ruleStateSchema),
  next_incident: z.number().int(),
  last_run: z.object({ run_id: z.string(), started_at: z.string(), evaluated_at: z.string() }).nullable(),
  last_skipped: z.object({ run_id: z.string(), at: z.string(), reason: z.string() }).optional(),
  /** Resolved incidents, newest first, at most HISTORY_LIMIT. */
  history: z.array(incidentSchema),
});
export type AlertState = z.infer<typeof alertStateSchema>;

export function emptyAlertState(): AlertState {
  return { v: 1, channel: null, options: {}, rules: {}, next_incident: 1, last_run: null, history: [] };
}

export interface ResolvedRule {
  def: AlertRuleDef;
  threshold: number;
  recovery: number;
  enabled: boolean;
}

export interface ResolvedAlertOptions {
  min_api_calls: number;
  min_companies: number;
  repeat_interval_ms: number;
}

export function resolveRule(state: AlertState, rule: AlertRuleId): ResolvedRule {
  const def = ALERT_RULES[rule];
  const rs = state.rules[rule];
  return {
    def,
    threshold: rs?.threshold ?? def.threshold,
    recovery: rs?.recovery ?? def.recovery,
    enabled: rs?.enabled ?? true,
  };
}

export function resolveAlertOptions(state: AlertState): ResolvedAlertOptions {
  return {
    min_api_calls: state.options.min_api_calls ?? DEFAULT_ALERT_OPTIONS.min_api_calls,
    min_companies: state.options.min_companies ?? DEFAULT_ALERT_OPTIONS.min_companies,
    repeat_interval_ms: state.options.repeat_interval_ms ?? DEFAULT_ALERT_OPTIONS.repeat_interval_ms,
  };
}

/** Whether the rule is muted at `now` (an expired mute counts as none). */
export function mutedUntil(state: AlertState, rule: AlertRuleId, now: Date): string | null {
  const until = state.rules[rule]?.muted_until;
  return until !== undefined && Date.parse(until) > now.getTime() ? until : null;
}

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

type Judged = { value: number } | { value: null; note: string };

/** The rule's value for the run, or why the run is too little evidence to judge. */
export function judgeRule(rule: AlertRuleId, m: RunMeasurement, options: ResolvedAlertOptions): Judged {
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
      return { value: m.api.rate_limited };
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
function worse(rule: ResolvedRule, a: number, b: number): number {
  return rule.def.direction === 'below' ? Math.min(a, b) : Math.max(a, b);
}

function endpointOrder(rule: AlertRuleId): (a: EndpointDetail, b: EndpointDetail) => number {
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

// ---------------------------------------------------------------------------------------------
// Evaluation.

export interface AlertAction {
  kind: AlertActionKind;
  rule: AlertRuleId;
  /** The incident as it should now be shown (a snapshot; for `open`, `channel` is where to post). */
  incident: Incident;
  /** For `resolve`: also reply in the thread (not while muted). */
  reply: boolean;
}

export interface AlertsResult {
  state: AlertState;
  actions: AlertAction[];
}

function clone(state: AlertState): AlertState {
  return structuredClone(state);
}

function ruleState(state: AlertState, rule: AlertRuleId): RuleState {
  let rs = state.rules[rule];
  if (!rs) {
    rs = {};
    state.rules[rule] = rs;
  }
  return rs;
}

function pushHistory(state: AlertState, incident: Incident): void {
  state.history = [incident, ...state.history.filter((i) => i.number !== incident.number)].slice(
    0,
    HISTORY_LIMIT,
  );
}

/** Closes the rule's open incident; returns the resolve action when its message needs changing. */
function closeIncident(
  state: AlertState,
  rule: AlertRuleId,
  close: { at: string; run?: RunRef; resolution: 'recovered' | 'turned_off'; by?: string; reply: boolean },
): AlertAction | null {
  const rs = ruleState(state, rule);
  const incident = rs.incident;
  if (!incident) return null;
  incident.resolved_at = close.at;
  incident.resolution = close.resolution;
  if (close.run) incident.resolved_run = close.run;
  if (close.by) incident.resolved_by = close.by;
  delete rs.incident;
  const announced = incident.message_ts !== undefined;
  if (announced) incident.resolve_pending = true;
  pushHistory(state, incident);
  return announced
    ? { kind: 'resolve', rule, incident: structuredClone(incident), reply: close.reply }
    : null;
}

function pendingResolves(state: AlertState, rule: AlertRuleId, muted: boolean): AlertAction[] {
  return state.history
    .filter((i) => i.rule === rule && i.resolve_pending)
    .reverse()
    .map((i) => ({ kind: 'resolve', rule, incident: structuredClone(i), reply: !muted }));
}

/**
 * Evaluates every rule over one stored run. The state always records the evaluation (even when
 * nothing is sent); the actions are the messages to send, in order.
 */
export function evaluateAlerts(input: {
  state: AlertState;
  measurement: RunMeasurement;
  now: Date;
}): AlertsResult {
  const state = clone(input.state);
  const { measurement: m, now } = input;
  const at = now.toISOString();
  const actions: AlertAction[] = [];
  const last = state.last_run;
  if (last && Date.parse(m.run.started_at) < Date.parse(last.started_at) && m.run.run_id !== last.run_id) {
    state.last_skipped = {
      run_id: m.run.run_id,
      at,
      reason: `it started before the latest evaluated run ${last.run_id}`,
    };
    return { state, actions };
  }
  state.last_run = { run_id: m.run.run_id, started_at: m.run.started_at, evaluated_at: at };
  const options = resolveAlertOptions(state);
  const channel = state.channel?.id ?? null;

  for (const id of ALERT_RULE_IDS) {
    const rule = resolveRule(state, id);
    const rs = ruleState(state, id);
    if (rs.muted_until !== undefined && Date.parse(rs.muted_until) <= now.getTime()) {
      delete rs.muted_until;
      delete rs.muted_by;
    }
    const muted = rs.muted_until !== undefined;
    actions.push(...pendingResolves(state, id, muted));
    if (!rule.enabled) {
      rs.last_evaluation = { run_id: m.run.run_id, at, outcome: 'off', value: null };
      continue;
    }
    const judged = judgeRule(id, m, options);
    if (judged.value === null) {
      rs.last_evaluation = {
        run_id: m.run.run_id,
        at,
        outcome: 'insufficient',
        value: null,
        note: judged.note,
      };
      continue;
    }
    const value = judged.value;
    const breaching = isBreaching(rule, value);
    const recovered = isRecovered(rule, value);
    const incident = rs.incident;

    if (!incident) {
      rs.last_evaluation = { run_id: m.run.run_id, at, outcome: breaching ? 'breach' : 'ok', value };
      if (!breaching) continue;
      const opened: Incident = {
        number: state.next_incident,
        rule: id,
        opened_at: at,
        opened_run: m.run,
        threshold: rule.threshold,
        recovery: rule.recovery,
        first_value: value,
        latest_value: value,
        worst_value: value,
        latest_run: m.run,
        latest_at: at,
        breaching_runs: 1,
        detail: incidentDetail(id, m),
      };
      state.next_incident += 1;
      rs.incident = opened;
      if (channel !== null && !muted) {
        actions.push({
          kind: 'open',
          rule: id,
          incident: { ...structuredClone(opened), channel },
          reply: false,
        });
      }
      continue;
    }

    if (recovered) {
      rs.last_evaluation = { run_id: m.run.run_id, at, outcome: 'ok', value };
      incident.latest_value = value;
      incident.latest_run = m.run;
      incident.latest_at = at;
      incident.detail = incidentDetail(id, m);
      const action = closeIncident(state, id, { at, run: m.run, resolution: 'recovered', reply: !muted });
      if (action) actions.push(action);
      continue;
    }

    // Still firing: breaching, or between the alert and the recovery threshold.
    rs.last_evaluation = { run_id: m.run.run_id, at, outcome: breaching ? 'breach' : 'recovering', value };
    const sameRun = incident.latest_run.run_id === m.run.run_id;
    if (breaching && !sameRun) incident.breaching_runs += 1;
    incident.threshold = rule.threshold;
    incident.recovery = rule.recovery;
    incident.latest_value = value;
    incident.worst_value = worse(rule, incident.worst_value, value);
    incident.latest_run = m.run;
    incident.latest_at = at;
    incident.detail = incidentDetail(id, m);
    if (incident.message_ts === undefined) {
      if (channel !== null && !muted) {
        actions.push({
          kind: 'open',
          rule: id,
          incident: { ...structuredClone(incident), channel },
          reply: false,
        });
      }
      continue;
    }
    const lastReply = Date.parse(incident.last_reply_at ?? incident.opened_at);
    const due = now.getTime() - lastReply >= options.repeat_interval_ms;
    const kind: AlertActionKind =
      breaching && !sameRun && !muted && channel !== null && due ? 'repeat' : 'update';
    actions.push({ kind, rule: id, incident: structuredClone(incident), reply: false });
  }
  return { state, actions };
}

export type DeliveryOutcome =
  | { ok: true; at: Date; ts?: string; channel?: string }
  | { ok: false; at: Date; error: string };

function findIncident(state: AlertState, rule: AlertRuleId, number: number): Incident | undefined {
  const open = state.rules[rule]?.incident;
  if (open?.number === number) return open;
  return state.history.find((i) => i.number === number);
}

/** Records what Slack confirmed (or refused) for one action: message ts, last notification, errors. */
export function recordDelivery(state: AlertState, action: AlertAction, outcome: DeliveryOutcome): AlertState {
  const next = clone(state);
  const rs = ruleState(next, action.rule);
  const at = outcome.at.toISOString();
  const incident = findIncident(next, action.rule, action.incident.number);
  if (!outcome.ok) {
    rs.delivery_error = { at, kind: action.kind, incident: action.incident.number, error: outcome.error };
    return next;
  }
  delete rs.delivery_error;
  if (!incident) return next;
  switch (action.kind) {
    case 'open':
      if (outcome.ts !== undefined) incident.message_ts = outcome.ts;
      incident.channel = outcome.channel ?? action.incident.channel;
      incident.last_reply_at = at;
      if (incident.resolved_at !== undefined) incident.resolve_pending = true;
      break;
    case 'repeat':
      incident.last_reply_at = at;
      break;
    case 'resolve':
      delete incident.resolve_pending;
      break;
    case 'update':
      return next;
  }
  rs.last_notification = { at, kind: action.kind, incident: action.incident.number };
  return next;
}

// ---------------------------------------------------------------------------------------------
// Changes from people: the command, and the buttons on an incident message.

export type RuleSelection = AlertRuleId[] | 'all';

export type AlertsChange =
  | { kind: 'channel'; channel: { id: string; name?: string } }
  | { kind: 'channel-off' }
  | { kind: 'set'; rule: AlertRuleId; threshold?: number; recovery?: number }
  | { kind: 'option'; option: 'min_api_calls' | 'min_companies' | 'repeat_interval_ms'; value: number }
  | { kind: 'enable'; rules: RuleSelection; enabled: boolean }
  | { kind: 'mute'; rules: RuleSelection; durationMs: number }
  | { kind: 'unmute'; rules: RuleSelection };

export interface ChangeResult extends AlertsResult {
  /** One line for the person who made the change (mrkdwn, escaped). */
  summary: string;
}

function selected(rules: RuleSelection): AlertRuleId[] {
  return rules === 'all' ? [...ALERT_RULE_IDS] : rules;
}

/** "below 95.0%", "above 2.00s", "above 0". */
export function formatRuleValue(unit: RuleUnit, value: number): string {
  if (unit === 'percent') return formatPercent(value);
  if (unit === 'seconds') return formatSeconds(value);
  return formatInt(value);
}

/** Applies a change made with `/apollo-dashboard alerts …`; throws `bad_command` when it is inconsistent. */
export function applyAlertsChange(
  current: AlertState,
  change: AlertsChange,
  context: { now: Date; user: string; timeZone: string },
): ChangeResult {
  const state = clone(current);
  const at = context.now.toISOString();
  const actions: AlertAction[] = [];
  const names = (rules: AlertRuleId[]) => rules.map((r) => ALERT_RULES[r].name).join(', ');
  switch (change.kind) {
    case 'channel': {
      state.channel = { id: change.channel.id, set_by: context.user, set_at: at };
      if (change.channel.name) state.channel.name = change.channel.name;
      return { state, actions, summary: `Alerts now go to <#${change.channel.id}>.` };
    }
    case 'channel-off':
      state.channel = null;
      return {
        state,
        actions,
        summary: 'Alerts are no longer routed anywhere; incidents are still tracked.',
      };
    case 'set': {
      const rule = resolveRule(state, change.rule);
      const threshold = change.threshold ?? rule.threshold;
      const recovery = change.recovery ?? rule.recovery;
      const { direction, unit } = rule.def;
      const ok = direction === 'below' ? recovery >= threshold : recovery <= threshold;
      if (!ok) {
        throw new AppError(
          'bad_command',
          `${rule.def.name} would alert ${direction} ${formatRuleValue(unit, threshold)} but recover at ` +
            `${formatRuleValue(unit, recovery)}: the recovery threshold must be ${direction === 'below' ? 'at or above' : 'at or below'} ` +
            `the alert threshold. Set both at once: \`alerts set ${change.rule} <threshold> recovery <value>\`.`,
        );
      }
      const rs = ruleState(state, change.rule);
      rs.threshold = threshold;
      rs.recovery = recovery;
      rs.changed_by = context.user;
      rs.changed_at = at;
      return {
        state,
        actions,
        summary: `${rule.def.name} now alerts ${direction} ${formatRuleValue(unit, threshold)} and recovers at ${formatRuleValue(unit, recovery)}.`,
      };
    }
    case 'option': {
      state.options[change.option] = change.value;
      const text =
        change.option === 'repeat_interval_ms'
          ? `Open incidents now repeat in their thread at most every ${formatDuration(change.value)}.`
          : change.option === 'min_api_calls'
            ? `API rules now need at least ${formatInt(change.value)} API calls in a run.`
            : `The qualification rule now needs at least ${formatInt(change.value)} companies in a run.`;
      return { state, actions, summary: text };
    }
    case 'enable': {
      const rules = selected(change.rules);
      for (const rule of rules) {
        const rs = ruleState(state, rule);
        rs.enabled = change.enabled;
        rs.changed_by = context.user;
        rs.changed_at = at;
        if (!change.enabled) {
          const action = closeIncident(state, rule, {
            at,
            resolution: 'turned_off',
            by: context.user,
            reply: true,
          });
          if (action) actions.push(action);
        }
      }
      const closed = actions.length > 0 ? ` Closed ${actions.length} open incident(s).` : '';
      return {
        state,
        actions,
        summary: `${change.enabled ? 'Turned on' : 'Turned off'}: ${names(rules)}.${closed}`,
      };
    }
    case 'mute':
    case 'unmute': {
      const rules = selected(change.rules);
      const until = new Date(context.now.getTime() + (change.kind === 'mute' ? change.durationMs : 0));
      for (const rule of rules) {
        const rs = ruleState(state, rule);
        if (change.kind === 'mute') {
          rs.muted_until = until.toISOString();
          rs.muted_by = context.user;
        } else {
          delete rs.muted_until;
          delete rs.muted_by;
        }
        const incident = rs.incident;
        if (incident?.message_ts !== undefined) {
          actions.push({ kind: 'update', rule, incident: structuredClone(incident), reply: false });
        }
      }
      return {
        state,
        actions,
        summary:
          change.kind === 'mute'
            ? `Muted until ${formatLocalDateTime(until, context.timeZone)} (${context.timeZone}): ${names(rules)}.`
            : `Unmuted: ${names(rules)}.`,
      };
    }
  }
}

export type AckResult =
  | { status: 'acked'; incident: Incident; action: AlertAction | null }
  | { status: 'already'; incident: Incident }
  | { status: 'gone'; incident: Incident | null };

/** Records who acknowledged an open incident, and when. */
export function acknowledgeIncident(
  current: AlertState,
  target: { rule: AlertRuleId; number: number },
  context: { now: Date; user: string },
): { state: AlertState; result: AckResult } {
  const state = clone(current);
  const incident = state.rules[target.rule]?.incident;
  if (!incident || incident.number !== target.number) {
    return {
      state,
      result: { status: 'gone', incident: findIncident(state, target.rule, target.number) ?? null },
    };
  }
  if (incident.acked_by !== undefined) return { state, result: { status: 'already', incident } };
  incident.acked_by = context.user;
  incident.acked_at = context.now.toISOString();
  const action: AlertAction | null =
    incident.message_ts !== undefined
      ? { kind: 'update', rule: target.rule, incident: structuredClone(incident), reply: false }
      : null;
  return { state, result: { status: 'acked', incident, action } };
}

// ---------------------------------------------------------------------------------------------
// Durations and the weekly digest.

/** "2h", "1d 3h", "45m" (rounded down to minutes; under a minute is "<1m"). */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '<1m';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter(Boolean).join(' ');
}

/** Incidents opened and resolved in a window, for the weekly digest. Lines are mrkdwn without user text. */
export function summarizeIncidents(
  state: AlertState,
  window: { start: Date; end: Date },
  timeZone: string,
): { opened: number; resolved: number; lines: string[] } {
  const inWindow = (iso: string | undefined) => {
    if (iso === undefined) return false;
    const t = Date.parse(iso);
    return t >= window.start.getTime() && t < window.end.getTime();
  };
  const open = ALERT_RULE_IDS.flatMap((r) => {
    const i = state.rules[r]?.incident;
    return i ? [i] : [];
  });
  const all = [...open, ...state.history].sort((a, b) => b.number - a.number);
  const touched = all.filter((i) => inWindow(i.opened_at) || inWindow(i.resolved_at));
  const lines = touched.map((i) => {
    const def = ALERT_RULES[i.rule];
    const opened = formatLocalDateTime(new Date(i.opened_at), timeZone);
    const state =
      i.resolved_at === undefined
        ? 'still open'
        : `${i.resolution === 'turned_off' ? 'closed' : 'resolved'} after ${formatDuration(Date.parse(i.resolved_at) - Date.parse(i.opened_at))}`;
    return `• #${i.number} ${def.name} ${def.direction} ${formatRuleValue(def.unit, i.threshold)}: opened ${opened}, worst ${formatRuleValue(def.unit, i.worst_value)}, ${state}`;
  });
  return {
    opened: all.filter((i) => inWindow(i.opened_at)).length,
    resolved: all.filter((i) => inWindow(i.resolved_at)).length,
    lines,
  };
}
