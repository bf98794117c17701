/** The alert state (one store document per workspace), validated when read back, and the rules it resolves. */

import { z } from 'zod';
import { isCountThreshold } from '../../domain/alert-thresholds.js';
import {
  ALERT_RULE_IDS,
  ALERT_RULES,
  type AlertRuleDef,
  type AlertRuleId,
  DEFAULT_ALERT_OPTIONS,
  type RuleUnit,
} from './rules.js';

// ---------------------------------------------------------------------------------------------
// State (one store document per workspace), validated when read back.

export const runRefSchema = z.object({
  run_id: z.string(),
  started_at: z.string(),
  label: z.string().optional(),
});
export type RunRef = z.infer<typeof runRefSchema>;

export const endpointDetailSchema = z.object({
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

export const incidentDetailSchema = z.object({
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

export const incidentSchema = z.object({
  number: z.number().int(),
  rule: z.enum(ALERT_RULE_IDS),
  /** The unit of its threshold and values when not the rule's own (a 429 rule kept as a count of calls). */
  unit: z.enum(['percent', 'seconds', 'count']).optional(),
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
  /**
   * A post of this incident was sent (marked with `marker`) but Slack's answer never came: before
   * posting again, the channel is searched for the marker, so a late success is adopted.
   */
  post_attempt: z.object({ at: z.string(), marker: z.string() }).optional(),
  /** Opened and recovered before its message could be posted: it is still owed, as resolved. */
  report_pending: z.boolean().optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const outcomeSchema = z.enum(['breach', 'recovering', 'ok', 'insufficient', 'off']);
export type EvaluationOutcome = z.infer<typeof outcomeSchema>;

export const evaluationSchema = z.object({
  run_id: z.string(),
  at: z.string(),
  outcome: outcomeSchema,
  value: z.number().nullable(),
  note: z.string().optional(),
});
export type RuleEvaluation = z.infer<typeof evaluationSchema>;

export const actionKindSchema = z.enum(['open', 'update', 'repeat', 'resolve']);
export type AlertActionKind = z.infer<typeof actionKindSchema>;

export const ruleStateSchema = z.object({
  threshold: z.number().optional(),
  recovery: z.number().optional(),
  /**
   * How the 429 rule's stored threshold reads: `share` (of a run's calls) when set since 429s are
   * judged as a share. Records from before carry no unit, and their whole numbers are counts of calls.
   */
  unit: z.literal('share').optional(),
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
  /** Usually the rule's own; `count` for a 429 rule whose stored threshold is a count of calls. */
  unit: RuleUnit;
  threshold: number;
  recovery: number;
  enabled: boolean;
}

// Whether the 429 rule's stored threshold is a count of calls: one reading, shared with the dashboard.
export { isCountThreshold };

export interface ResolvedAlertOptions {
  min_api_calls: number;
  min_companies: number;
  repeat_interval_ms: number;
}

export function resolveRule(state: AlertState, rule: AlertRuleId): ResolvedRule {
  const def = ALERT_RULES[rule];
  const rs = state.rules[rule];
  if (rule === 'rate_limited' && isCountThreshold(rs)) {
    const threshold = rs?.threshold ?? 0;
    // The count rule's default recovery was 0; a stored one above the threshold cannot recover.
    const recovery = rs?.recovery !== undefined && rs.recovery <= threshold ? rs.recovery : 0;
    return { def, unit: 'count', threshold, recovery, enabled: rs?.enabled ?? true };
  }
  // A percentage above 100 % cannot be set; a record holding one is read as unset.
  const fits = (v: number | undefined) =>
    v !== undefined && def.unit === 'percent' && v > 1 ? undefined : v;
  return {
    def,
    unit: def.unit,
    threshold: fits(rs?.threshold) ?? def.threshold,
    recovery: fits(rs?.recovery) ?? def.recovery,
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
