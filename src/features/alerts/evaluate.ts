/** Evaluating a run: incidents opened, updated and resolved, and the messages to send; recording what Slack confirmed. */

import {
  incidentDetail,
  isBreaching,
  isRecovered,
  judgeRule,
  type RunMeasurement,
  worse,
} from './measure.js';
import { ALERT_RULE_IDS, ALERT_RULES, type AlertRuleId, HISTORY_LIMIT } from './rules.js';
import {
  type AlertActionKind,
  type AlertState,
  type Incident,
  type RuleState,
  type RunRef,
  resolveAlertOptions,
  resolveRule,
} from './state.js';

// ---------------------------------------------------------------------------------------------
// Evaluation.

/** How far ahead of `now` a run may start and still count as the latest evaluated run (as at ingest). */
export const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * A run was deleted: if it was the latest evaluated run, the newest remaining run (or none) takes its
 * place, so later runs are judged as if the deleted one had never been stored.
 */
export function forgetRun(
  input: AlertState,
  runId: string,
  newest: { run_id: string; started_at: string } | null,
): AlertState {
  if (input.last_run?.run_id !== runId) return input;
  const state = clone(input);
  state.last_run = newest
    ? { run_id: newest.run_id, started_at: newest.started_at, evaluated_at: input.last_run.evaluated_at }
    : null;
  return state;
}

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

export function clone(state: AlertState): AlertState {
  return structuredClone(state);
}

export function ruleState(state: AlertState, rule: AlertRuleId): RuleState {
  let rs = state.rules[rule];
  if (!rs) {
    rs = {};
    state.rules[rule] = rs;
  }
  return rs;
}

export function pushHistory(state: AlertState, incident: Incident): void {
  state.history = [incident, ...state.history.filter((i) => i.number !== incident.number)].slice(
    0,
    HISTORY_LIMIT,
  );
}

/** Closes the rule's open incident; returns the resolve action when its message needs changing. */
export function closeIncident(
  state: AlertState,
  rule: AlertRuleId,
  close: {
    at: string;
    run?: RunRef;
    resolution: 'recovered' | 'turned_off';
    by?: string;
    reply: boolean;
    /** Where to report an incident that was never posted (it opened and cleared while Slack refused). */
    report?: string | null;
  },
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
  const report = !announced && typeof close.report === 'string' ? close.report : null;
  if (report !== null) incident.report_pending = true;
  pushHistory(state, incident);
  if (report !== null) {
    return { kind: 'open', rule, incident: { ...structuredClone(incident), channel: report }, reply: false };
  }
  return announced
    ? { kind: 'resolve', rule, incident: structuredClone(incident), reply: close.reply }
    : null;
}

/** Incidents that opened and cleared before they could be posted: still owed, posted as resolved. */
export function pendingReports(state: AlertState, rule: AlertRuleId, channel: string | null): AlertAction[] {
  if (channel === null) return [];
  return state.history
    .filter((i) => i.rule === rule && i.report_pending && i.message_ts === undefined)
    .reverse()
    .map((i) => ({ kind: 'open', rule, incident: { ...structuredClone(i), channel }, reply: false }));
}

export function pendingResolves(state: AlertState, rule: AlertRuleId, muted: boolean): AlertAction[] {
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
  // A run older than the latest evaluated one is a backfill and is not judged, unless that latest run
  // is itself dated in the future (an outlier stored before such runs were refused): it must not
  // silence every real run after it.
  const lastIsPlausible = last !== null && Date.parse(last.started_at) <= now.getTime() + FUTURE_SLACK_MS;
  if (
    last &&
    lastIsPlausible &&
    Date.parse(m.run.started_at) < Date.parse(last.started_at) &&
    m.run.run_id !== last.run_id
  ) {
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
    if (!muted) actions.push(...pendingReports(state, id, channel));
    if (!rule.enabled) {
      rs.last_evaluation = { run_id: m.run.run_id, at, outcome: 'off', value: null };
      continue;
    }
    const judged = judgeRule(id, m, options, rule.unit);
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
      // One alert per problem: a rule measuring the same failure as an open incident joins it.
      const cover = coveringIncident(state, id);
      if (cover) {
        rs.last_evaluation.note = `named in incident #${cover.number}`;
        continue;
      }
      const opened: Incident = {
        number: state.next_incident,
        rule: id,
        ...(rule.unit === rule.def.unit ? {} : { unit: rule.unit }),
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
      const action = closeIncident(state, id, {
        at,
        run: m.run,
        resolution: 'recovered',
        reply: !muted,
        report: muted ? null : channel,
      });
      if (action) actions.push(action);
      continue;
    }

    // Still firing: breaching, or between the alert and the recovery threshold.
    rs.last_evaluation = { run_id: m.run.run_id, at, outcome: breaching ? 'breach' : 'recovering', value };
    const sameRun = incident.latest_run.run_id === m.run.run_id;
    if (breaching && !sameRun) incident.breaching_runs += 1;
    if ((incident.unit ?? rule.def.unit) !== rule.unit) {
      // The 429 threshold changed between a count and a share: the incident goes on in the new unit.
      if (rule.unit === rule.def.unit) delete incident.unit;
      else incident.unit = rule.unit;
      incident.worst_value = value;
    }
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

/** The open incident of the rule that covers `rule` (same failure), when that rule is on. */
export function coveringIncident(state: AlertState, rule: AlertRuleId): Incident | undefined {
  const cover = ALERT_RULES[rule].covered_by;
  if (cover === undefined || !resolveRule(state, cover).enabled) return undefined;
  return state.rules[cover]?.incident;
}

export type DeliveryOutcome =
  | { ok: true; at: Date; ts?: string; channel?: string }
  | { ok: false; at: Date; error: string };

export function findIncident(state: AlertState, rule: AlertRuleId, number: number): Incident | undefined {
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
      delete incident.post_attempt;
      delete incident.report_pending;
      // Resolved after the posted snapshot was taken: its message still says open.
      if (incident.resolved_at !== undefined && action.incident.resolved_at === undefined)
        incident.resolve_pending = true;
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
