/** Alert surfaces: the incident message (firing, resolved), its thread replies, and the `alerts` status view. */
import type { KnownBlock } from '@slack/types';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  header,
  message,
  type SlackMessage,
  section,
  truncate,
} from '../../blocks/kit.js';
import { formatInt, formatPercent, formatSeconds, slackDateTime } from '../../domain/format.js';
import { ACTIONS, BLOCKS, COMMAND } from '../../ids.js';
import { ALERTS_USAGE } from './grammar.js';
import { ALERT_RULE_IDS, type AlertRuleDef, formatRuleValue, ruleOfIncident } from './rules.js';
import {
  type AlertState,
  type EndpointDetail,
  type Incident,
  type RuleState,
  type RunRef,
  resolveAlertOptions,
  resolveRule,
} from './state.js';
import { formatDuration } from './summary.js';

export interface AlertRenderContext {
  timeZone: string;
}

/** A time in mrkdwn: a Slack date token, so each reader sees their own zone (the workspace's as fallback). */
function when(iso: string, timeZone: string): string {
  return slackDateTime(iso, timeZone);
}

function thresholdText(def: AlertRuleDef, threshold: number): string {
  return `${def.direction} ${formatRuleValue(def.unit, threshold)}`;
}

function recoveryText(def: AlertRuleDef, recovery: number): string {
  return `${formatRuleValue(def.unit, recovery)} or ${def.direction === 'below' ? 'more' : 'less'}`;
}

function runText(run: RunRef): string {
  return `\`${escapeMrkdwn(run.run_id)}\`${run.label ? ` (${escapeMrkdwn(run.label)})` : ''}`;
}

/** Plain words for notification text: no mrkdwn, user text stripped of `<` `>` `&`. */
function plain(text: string): string {
  return escapeMrkdwn(text);
}

function statusCodes(codes: Record<string, number>): string {
  return Object.entries(codes)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([code, n]) => `${code}×${formatInt(n)}`)
    .join(', ');
}

function endpointLine(ep: EndpointDetail): string {
  const parts = [
    `${formatInt(ep.total)} calls`,
    `${formatPercent(ep.success_rate)} ok`,
    `avg ${formatSeconds(ep.average_response_time)} (max ${formatSeconds(ep.max_response_time)})`,
  ];
  if (ep.rate_limited > 0) parts.push(`${formatInt(ep.rate_limited)} rate-limited`);
  return `• \`${escapeMrkdwn(truncate(ep.endpoint, 120))}\`: ${parts.join(', ')} · status ${statusCodes(ep.status_codes)}`;
}

function detailBlocks(incident: Incident): KnownBlock[] {
  const d = incident.detail;
  if (d.companies) {
    return [
      section(
        `*Companies in the run*: ${formatInt(d.companies.discovered)} discovered, ${formatInt(d.companies.qualified)} qualified (tier other than Unqualified).`,
      ),
    ];
  }
  if (!d.api) return [];
  const api = d.api;
  const lines = [
    `*API calls in the run*: ${formatInt(api.total)} · ${formatInt(api.failed)} failed · ${formatInt(api.rate_limited)} rate-limited (429)` +
      (api.peak_per_minute !== null
        ? ` · peak ${formatInt(api.peak_per_minute)}/min against the ${formatInt(api.rate_limit)}/min limit`
        : ''),
  ];
  if (api.endpoints.length > 0) {
    lines.push('*By endpoint*');
    lines.push(...api.endpoints.map(endpointLine));
    if (api.more_endpoints > 0) lines.push(`…and ${formatInt(api.more_endpoints)} more endpoints.`);
  }
  return [section(lines.join('\n'))];
}

function ackLine(incident: Incident, timeZone: string): string | null {
  if (incident.acked_by === undefined || incident.acked_at === undefined) return null;
  return `:eyes: Acknowledged by <@${escapeMrkdwn(incident.acked_by)}> at ${when(incident.acked_at, timeZone)}`;
}

/** The complementary figure a success-rate incident also names (one alert per problem). */
function companionText(incident: Incident): string {
  const api = incident.detail.api;
  if (incident.rule !== 'success_rate' || !api || api.total === 0) return '';
  return ` · error rate ${formatPercent(api.failed / api.total)}`;
}

/** Whether the latest value is still past the alert threshold (else it is between the thresholds). */
function stillBreaching(incident: Incident): boolean {
  const def = ruleOfIncident(incident);
  return def.direction === 'below'
    ? incident.latest_value < incident.threshold
    : incident.latest_value > incident.threshold;
}

/** Where: the endpoint that carries the problem, its status codes, and the run. */
function whereText(incident: Incident): string {
  const run = `run ${runText(incident.latest_run)}`;
  const api = incident.detail.api;
  const top = api?.endpoints[0];
  if (!top) return run;
  const codes = Object.keys(top.status_codes).length > 0 ? ` (status ${statusCodes(top.status_codes)})` : '';
  return `\`${escapeMrkdwn(truncate(top.endpoint, 120))}\`${codes} · ${run}`;
}

/**
 * The incident's one message in the alert channel: posted when it opens, then updated in place
 * with the latest run, and finally marked resolved. It leads with the measured value, then where
 * (endpoint, status codes, run), then what to do. `mutedUntil` shows a mute on the rule.
 */
export function renderIncidentMessage(
  incident: Incident,
  options: AlertRenderContext & { mutedUntil?: string | null; mutedBy?: string },
): SlackMessage {
  const def = ruleOfIncident(incident);
  const tz = options.timeZone;
  const latest = formatRuleValue(def.unit, incident.latest_value);
  const history = `Opened ${when(incident.opened_at, tz)} by run ${runText(incident.opened_run)} · ${formatInt(incident.breaching_runs)} breaching run${incident.breaching_runs === 1 ? '' : 's'} · worst ${formatRuleValue(def.unit, incident.worst_value)}`;
  const footer: string[] = [];
  const ack = ackLine(incident, tz);
  const dashboardButton = button('Open dashboard', ACTIONS.alertOpenDashboard, {
    value: incident.latest_run.run_id,
  });
  if (incident.resolved_at !== undefined) {
    const duration = formatDuration(Date.parse(incident.resolved_at) - Date.parse(incident.opened_at));
    const turnedOff = incident.resolution === 'turned_off';
    const headline = turnedOff
      ? `*Closed* after ${duration}: <@${escapeMrkdwn(incident.resolved_by ?? '')}> turned the rule off at ${when(incident.resolved_at, tz)}.`
      : `*Resolved* after ${duration}: ${latest} in run ${runText(incident.resolved_run ?? incident.latest_run)} (recovers at ${recoveryText(def, incident.recovery)}).`;
    if (ack) footer.push(ack);
    footer.push(`Resolved ${when(incident.resolved_at, tz)}`);
    const text = `${turnedOff ? 'Closed' : 'Resolved'}: incident #${incident.number}, ${def.name} (${latest}) after ${duration}.`;
    return message(text, [
      header(
        turnedOff
          ? `:no_bell: Closed · ${def.name} rule turned off · incident #${incident.number}`
          : `:white_check_mark: Resolved · ${def.name} back to ${latest} · incident #${incident.number}`,
      ),
      section(`${headline}\n${history}`),
      context(footer),
      actions([dashboardButton], BLOCKS.alertActions),
    ]);
  }
  const breaching = stillBreaching(incident);
  const state = breaching
    ? `alert ${thresholdText(def, incident.threshold)}`
    : `recovering, clears at ${recoveryText(def, incident.recovery)}`;
  const measured =
    `*Measured*: ${def.name} *${latest}*${companionText(incident)} in run ${runText(incident.latest_run)}, ` +
    (breaching
      ? `alert threshold ${thresholdText(def, incident.threshold)} (recovers at ${recoveryText(def, incident.recovery)}).`
      : `between the thresholds: no longer ${thresholdText(def, incident.threshold)}, not yet ${recoveryText(def, incident.recovery)}.`);
  if (ack) footer.push(ack);
  if (options.mutedUntil) {
    footer.push(
      `:mute: Muted until ${when(options.mutedUntil, tz)}${options.mutedBy ? ` by <@${escapeMrkdwn(options.mutedBy)}>` : ''}: no new posts or thread replies until then.`,
    );
  }
  footer.push(`Last updated ${when(incident.latest_at, tz)}`);
  const text =
    incident.message_ts !== undefined
      ? `Incident #${incident.number} ${breaching ? 'still firing' : 'recovering'}: ${def.name} ${latest} (${breaching ? thresholdText(def, incident.threshold) : `clears at ${recoveryText(def, incident.recovery)}`}), ${incident.breaching_runs} breaching run${incident.breaching_runs === 1 ? '' : 's'}. Run ${plain(incident.latest_run.run_id)}.`
      : `New incident #${incident.number}: ${def.name} ${latest}, ${thresholdText(def, incident.threshold)}. Run ${plain(incident.latest_run.run_id)}.`;
  const buttons = [
    button('Mute 24h', ACTIONS.alertMute, { value: `${incident.rule}:${incident.number}` }),
    dashboardButton,
  ];
  // Once someone acknowledged, their name replaces the button.
  if (!ack) {
    buttons.unshift(
      button('Acknowledge', ACTIONS.alertAcknowledge, {
        value: `${incident.rule}:${incident.number}`,
        style: 'primary',
      }),
    );
  }
  return message(text, [
    header(
      `${breaching ? ':rotating_light:' : ':large_yellow_circle:'} ${def.name} ${latest}${companionText(incident)} · ${state} · incident #${incident.number}`,
    ),
    section(`${measured}\n*Where*: ${whereText(incident)}\n*Do*: ${def.next_step}`),
    ...detailBlocks(incident),
    section(`${history}\n_Seed advice_: ${def.recommendation}`),
    context(footer),
    actions(buttons, BLOCKS.alertActions),
  ]);
}

/** The short reply in the incident's thread: a periodic reminder while it fires, or its end. */
export function renderIncidentReply(
  kind: 'repeat' | 'resolve',
  incident: Incident,
  options: AlertRenderContext,
): SlackMessage {
  const def = ruleOfIncident(incident);
  const latest = formatRuleValue(def.unit, incident.latest_value);
  let text: string;
  if (kind === 'repeat') {
    const firing = formatDuration(Date.parse(incident.latest_at) - Date.parse(incident.opened_at));
    text =
      `:repeat: Still firing (incident #${incident.number}, for ${firing}): ${def.name} ${latest} in run ${runText(incident.latest_run)}, ` +
      `alert threshold ${thresholdText(def, incident.threshold)}. ${formatInt(incident.breaching_runs)} breaching runs so far.`;
  } else if (incident.resolution === 'turned_off') {
    text = `:no_bell: Closed: <@${escapeMrkdwn(incident.resolved_by ?? '')}> turned the ${def.name} rule off at ${when(incident.resolved_at ?? incident.latest_at, options.timeZone)}.`;
  } else {
    const duration = formatDuration(
      Date.parse(incident.resolved_at ?? incident.latest_at) - Date.parse(incident.opened_at),
    );
    text = `:white_check_mark: Resolved after ${duration}: ${def.name} back to ${latest} in run ${runText(incident.resolved_run ?? incident.latest_run)} (recovers at ${recoveryText(def, incident.recovery)}).`;
  }
  return message(text.replaceAll('*', '').replaceAll('`', ''), [section(text)]);
}

/** Posted once into a channel chosen with `alerts channel`, so a missing invite shows at once. */
export function renderChannelWelcome(user: string): SlackMessage {
  const text = `Apollo Dashboard alerts will be posted in this channel (set by <@${escapeMrkdwn(user)}>).`;
  return message(text, [
    section(
      `:bell: ${text} One message per incident, updated in place; reminders and the resolution go in its thread. See \`${COMMAND} alerts\`.`,
    ),
  ]);
}

const ERROR_HINTS: Record<string, string> = {
  not_in_channel: 'the bot is not in the channel: `/invite @Apollo Dashboard` there',
  channel_not_found: 'the channel is private or gone: invite the bot, or pick another channel',
  is_archived: 'the channel is archived: pick another with `alerts channel #channel`',
};

function errorText(error: string): string {
  const hint = Object.entries(ERROR_HINTS).find(([code]) => error.includes(code))?.[1];
  return `${escapeMrkdwn(error)}${hint ? ` (${hint})` : ''}`;
}

const NOTIFICATION_WORDS = {
  open: 'new incident',
  repeat: 'thread reminder',
  resolve: 'resolution',
  update: 'update',
} as const;

function ruleStatus(
  state: AlertState,
  rs: RuleState | undefined,
  id: (typeof ALERT_RULE_IDS)[number],
  now: Date,
  tz: string,
): string {
  const rule = resolveRule(state, id);
  const def = rule.unit === rule.def.unit ? rule.def : { ...rule.def, unit: rule.unit };
  const lines = [
    `*${def.name}* (\`${id}\`): alerts ${thresholdText(def, rule.threshold)}, recovers at ${recoveryText(def, rule.recovery)}`,
  ];
  if (rule.unit !== rule.def.unit) {
    lines.push(
      `:information_source: Your threshold was set as a count of rate-limited calls per run, before 429s were judged as a share of a run's calls; it still applies as set. \`alerts set ${id} 1% recovery 0.5%\` switches to a share (the default).`,
    );
  }
  const incident = rs?.incident;
  const muted =
    rs?.muted_until !== undefined && Date.parse(rs.muted_until) > now.getTime() ? rs.muted_until : null;
  if (!rule.enabled) lines.push(':white_circle: Off');
  else if (incident) {
    const ack = incident.acked_by ? `, acknowledged by <@${escapeMrkdwn(incident.acked_by)}>` : '';
    const unsent = incident.message_ts === undefined ? ', not yet posted' : '';
    lines.push(
      `:red_circle: Firing since ${when(incident.opened_at, tz)} (incident #${incident.number}, ${formatInt(incident.breaching_runs)} breaching run${incident.breaching_runs === 1 ? '' : 's'}, latest ${formatRuleValue(def.unit, incident.latest_value)}${ack}${unsent})`,
    );
  } else lines.push(':large_green_circle: OK');
  if (muted)
    lines.push(
      `:mute: Muted until ${when(muted, tz)}${rs?.muted_by ? ` by <@${escapeMrkdwn(rs.muted_by)}>` : ''}`,
    );
  const ev = rs?.last_evaluation;
  if (ev) {
    const what =
      ev.outcome === 'insufficient'
        ? `too little evidence: ${escapeMrkdwn(ev.note ?? '')}`
        : ev.outcome === 'off'
          ? 'rule off'
          : `${formatRuleValue(def.unit, ev.value ?? 0)} (${ev.outcome === 'recovering' ? 'between the thresholds' : ev.outcome}${ev.note ? `, ${escapeMrkdwn(ev.note)}` : ''})`;
    lines.push(`Last evaluation: run \`${escapeMrkdwn(ev.run_id)}\` at ${when(ev.at, tz)}: ${what}`);
  } else lines.push('Last evaluation: none yet');
  const note = rs?.last_notification;
  lines.push(
    note
      ? `Last notification: ${NOTIFICATION_WORDS[note.kind]} for incident #${note.incident} at ${when(note.at, tz)}`
      : 'Last notification: none yet',
  );
  const err = rs?.delivery_error;
  if (err) {
    lines.push(
      `:warning: Delivery failed at ${when(err.at, tz)} (${NOTIFICATION_WORDS[err.kind]}, incident #${err.incident}): ${errorText(err.error)}. It is retried at the next run.`,
    );
  }
  return lines.join('\n');
}

/** `/apollo-dashboard alerts`: every rule with its thresholds and state, and where alerts go. */
export function renderAlertsStatus(
  state: AlertState,
  options: AlertRenderContext & { now: Date; notice?: string },
): SlackMessage {
  const tz = options.timeZone;
  const opts = resolveAlertOptions(state);
  const channel = state.channel
    ? `*Alert channel*: <#${escapeMrkdwn(state.channel.id)}> (set by <@${escapeMrkdwn(state.channel.set_by)}> on ${when(state.channel.set_at, tz)})`
    : `:warning: *Alerts are not routed anywhere*: incidents are tracked but not posted. Choose a channel with \`${COMMAND} alerts channel #channel\`.`;
  const blocks: KnownBlock[] = [header('Alerts')];
  if (options.notice) blocks.push(section(options.notice));
  blocks.push(section(channel));
  for (const id of ALERT_RULE_IDS)
    blocks.push(section(ruleStatus(state, state.rules[id], id, options.now, tz)));
  const facts = [
    `Minimum evidence: ${formatInt(opts.min_api_calls)} API calls (API rules), ${formatInt(opts.min_companies)} companies (qualification). Reminders in the thread at most every ${formatDuration(opts.repeat_interval_ms)}.`,
  ];
  if (state.last_run) {
    facts.push(
      `Last run evaluated: \`${escapeMrkdwn(state.last_run.run_id)}\` at ${when(state.last_run.evaluated_at, tz)}.`,
    );
  }
  if (state.last_skipped) {
    facts.push(
      `Run \`${escapeMrkdwn(state.last_skipped.run_id)}\` was not evaluated at ${when(state.last_skipped.at, tz)}: ${escapeMrkdwn(state.last_skipped.reason)}.`,
    );
  }
  blocks.push(context(facts));
  blocks.push(context([`Change them: ${ALERTS_USAGE}.`]));
  const open = ALERT_RULE_IDS.filter((r) => state.rules[r]?.incident).length;
  const text = `Alerts: ${open} open incident${open === 1 ? '' : 's'}; ${state.channel ? 'posting to the alert channel' : 'not routed anywhere'}.`;
  return message(text, blocks);
}
