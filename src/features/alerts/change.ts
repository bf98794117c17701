/** Changes from people: the `alerts` command and the buttons on an incident message. */

import { formatInt } from '../../domain/format.js';
import { formatLocalDateTime } from '../../domain/time.js';
import { AppError } from '../../errors.js';
import {
  type AlertAction,
  type AlertsResult,
  clone,
  closeIncident,
  findIncident,
  ruleState,
} from './evaluate.js';
import { ALERT_RULE_IDS, ALERT_RULES, type AlertRuleId, formatRuleValue } from './rules.js';
import { type AlertState, type Incident, resolveRule } from './state.js';
import { formatDuration } from './summary.js';

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

export function selected(rules: RuleSelection): AlertRuleId[] {
  return rules === 'all' ? [...ALERT_RULE_IDS] : rules;
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
      // Values typed now are in the rule's own unit; a 429 threshold kept as a count is replaced
      // whole (the other value from the default share), never mixed with a count.
      const kept =
        rule.unit === rule.def.unit ? rule : { threshold: rule.def.threshold, recovery: rule.def.recovery };
      const threshold = change.threshold ?? kept.threshold;
      const recovery = change.recovery ?? kept.recovery;
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
      if (change.rule === 'rate_limited') rs.unit = 'share';
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
