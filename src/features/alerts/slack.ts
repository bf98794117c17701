/**
 * Threshold alerts as incidents: the `alerts` subcommand, evaluation after every stored run, the
 * buttons on incident messages, and a dashboard note when alerts go nowhere.
 *
 * The logic is in the pure files beside this one (rules, state, measure, evaluate, change); this
 * is the edge: load state, evaluate, send, record. Work for one workspace is serialised in this process (evaluation, button clicks, command changes), so an
 * incident posted for one run is known (with its message ts) before the next run is judged.
 * A send is recorded only after Slack confirms it.
 */

import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { DashboardAlerts } from '../../blocks/dashboard.js';
import { renderFailure } from '../../blocks/help.js';
import { escapeMrkdwn, message, type SlackMessage, section } from '../../blocks/kit.js';
import { slackDateTime } from '../../domain/format.js';
import { parsePeriod } from '../../domain/period.js';
import { ADMIN_REFUSAL, isAppError } from '../../errors.js';
import { ACTIONS, COMMAND } from '../../ids.js';
import { createSerializer } from '../../serial.js';
import { dashboardMessage } from '../../slack/dashboard-message.js';
import { describeDeliveryError, isSlackCallError } from '../../slack/delivery.js';
import { type Deps, type EdgeContext, isAdmin, type RunStoredEvent, requireAdmin } from '../../slack/deps.js';
import { describeError } from '../../slack/errors.js';
import { findMarkedPostOrNone, withMarker } from '../../slack/marked-post.js';
import { loadSettings, teamOf, timeZoneOf } from '../../slack/payload.js';
import { ephemeral, reportFailure } from '../../slack/reply.js';
import type { CommandContext, Subcommand } from '../../slack/router.js';
import { type AlertsChange, acknowledgeIncident, applyAlertsChange } from './change.js';
import { ALERT_CLAIM_STALE_MS, claimName, incidentMarker, markPostAttempt, stillOwed } from './delivery.js';
import {
  type AlertAction,
  type DeliveryOutcome,
  evaluateAlerts,
  forgetRun,
  recordDelivery,
} from './evaluate.js';
import { parseAlertsCommand } from './grammar.js';
import { measureRun } from './measure.js';
import {
  renderAlertsStatus,
  renderChannelWelcome,
  renderIncidentMessage,
  renderIncidentReply,
} from './messages.js';
import { ALERT_RULE_IDS, ALERTS_DOC, type AlertRuleId, MUTE_BUTTON_MS } from './rules.js';
import { type AlertState, alertStateSchema, emptyAlertState, type Incident } from './state.js';
import { openIncidentLines, summarizeIncidents } from './summary.js';

/** What the app wires: the subcommand, the buttons, and the flows other parts call by name. */
export interface Alerts {
  subcommand: Subcommand;
  register(app: App): void;
  /** After every stored run: judge it, open/update/resolve incidents, post them. */
  evaluateStoredRun(event: RunStoredEvent): Promise<void>;
  /** After a run was deleted: the latest evaluated run falls back to the newest one left. */
  runDeleted(team: string, runId: string): Promise<void>;
  /** What the dashboard shows of alerts: notes (routed nowhere, a failed delivery) and the open incidents. */
  dashboardNotes(team: string): Promise<DashboardAlerts>;
  /** The `alerts` status view, for the dashboard's Alerts button. */
  statusMessage(team: string): Promise<SlackMessage>;
  /** Incidents opened and resolved in a window, for the weekly digest. */
  incidentsInWindow(
    team: string,
    window: { start: Date; end: Date },
  ): Promise<{ opened: number; resolved: number; lines: string[] } | null>;
  stop(): Promise<void>;
}

export function createAlerts(ctx: EdgeContext): Alerts {
  const serial = createSerializer();

  async function loadState(deps: Deps, team: string): Promise<AlertState> {
    return (await deps.store.getDocument(team, ALERTS_DOC, alertStateSchema)) ?? emptyAlertState();
  }

  async function updateState<R>(
    deps: Deps,
    team: string,
    change: (state: AlertState) => { state: AlertState; result: R },
  ): Promise<{ state: AlertState; result: R }> {
    const out = await deps.store.updateDocument(team, ALERTS_DOC, alertStateSchema, (current) => {
      const next = change(current ?? emptyAlertState());
      return { value: next.state, result: next.result };
    });
    return { state: out.value, result: out.result };
  }

  const failed = (deps: Deps, error: unknown): DeliveryOutcome => {
    const described = describeDeliveryError(error);
    const lost = isSlackCallError(error) && error.maybeDone;
    return {
      ok: false,
      at: deps.now(),
      error: lost ? `${described} It is looked up in the channel before any new post.` : described,
    };
  };

  /** Posts a new incident once: adopts an earlier post whose answer was lost, else marks and posts. */
  async function postIncident(
    deps: Deps,
    team: string,
    action: AlertAction,
    incident: Incident,
    body: SlackMessage,
  ): Promise<DeliveryOutcome> {
    const slack = await ctx.slackFor(team);
    if (!slack) return { ok: false, at: deps.now(), error: 'the app is not installed in this workspace' };
    const channel = action.incident.channel ?? '';
    const marker = incidentMarker(team, incident);
    if (incident.post_attempt) {
      try {
        const ts = await findMarkedPostOrNone(slack, {
          channel,
          marker,
          since: new Date(incident.post_attempt.at),
          onRefused: (error) =>
            deps.logger.warn(
              `Alert incident #${incident.number}: could not look for an earlier post (${describeDeliveryError(error)}); posting it.`,
            ),
        });
        if (ts !== null) {
          deps.logger.info(
            `Alert incident #${incident.number}: an earlier post arrived after all (ts ${ts}).`,
          );
          // It shows the incident as it was then: bring it up to date (safe to repeat; best effort).
          await slack
            .call('chat.update', { channel, ts, ...body }, { safe: true, key: channel, what: 'adopted post' })
            .catch((error: unknown) =>
              deps.logger.warn(
                `Alert incident #${incident.number}: updating the adopted post failed: ${describeError(error)}`,
              ),
            );
          return { ok: true, at: deps.now(), ts, channel };
        }
      } catch (error) {
        // Not knowing whether it arrived, posting again could duplicate it: try at the next run.
        return failed(deps, error);
      }
    }
    const at = deps.now().toISOString();
    await updateState(deps, team, (s) => ({
      state: markPostAttempt(s, action, { at, marker }),
      result: null,
    }));
    try {
      const posted = (await slack.call(
        'chat.postMessage',
        { channel, ...withMarker(body, marker) },
        { safe: false, key: channel, what: `incident #${incident.number} post` },
      )) as { ts?: string; channel?: string };
      const out: DeliveryOutcome = { ok: true, at: deps.now() };
      if (posted.ts) out.ts = posted.ts;
      if (posted.channel) out.channel = posted.channel;
      return out;
    } catch (error) {
      return failed(deps, error);
    }
  }

  /** Sends one action; the outcome says what Slack confirmed. */
  async function sendAction(
    deps: Deps,
    team: string,
    action: AlertAction,
    incident: Incident,
    state: AlertState,
    timeZone: string,
  ): Promise<DeliveryOutcome> {
    const slack = await ctx.slackFor(team);
    if (!slack) return { ok: false, at: deps.now(), error: 'the app is not installed in this workspace' };
    const rs = state.rules[action.rule];
    const now = deps.now();
    const muted =
      rs?.muted_until !== undefined && Date.parse(rs.muted_until) > now.getTime() ? rs.muted_until : null;
    const shown = action.incident;
    const what = `incident #${shown.number}`;
    const body = renderIncidentMessage(shown, { timeZone, mutedUntil: muted, mutedBy: rs?.muted_by });
    const channel = shown.channel ?? '';
    if (action.kind === 'open') return postIncident(deps, team, action, incident, body);
    const ts = shown.message_ts ?? '';
    try {
      await slack.call('chat.update', { channel, ts, ...body }, { safe: true, key: channel, what });
    } catch (error) {
      return failed(deps, error);
    }
    const replyKind =
      action.kind === 'repeat' ? 'repeat' : action.kind === 'resolve' && action.reply ? 'resolve' : null;
    if (replyKind) {
      const reply = renderIncidentReply(replyKind, shown, { timeZone });
      try {
        await slack.call(
          'chat.postMessage',
          { channel, thread_ts: ts, ...reply },
          { safe: false, key: channel, what: `${what} thread reply` },
        );
      } catch (error) {
        // A reply whose answer was lost may be in the thread: counted as sent, never repeated.
        if (!(isSlackCallError(error) && error.maybeDone)) return failed(deps, error);
        deps.logger.warn(`Alert ${what}: the thread reply may not have arrived: ${describeError(error)}`);
      }
    }
    return { ok: true, at: deps.now() };
  }

  /**
   * Sends actions in order, recording each outcome right after Slack answers. Each action that must
   * not be repeated is claimed in the store first and checked against the stored state, so with
   * several replicas one sends it. Inside `serial` (one workspace at a time in this process).
   */
  async function deliver(
    deps: Deps,
    team: string,
    actions: readonly AlertAction[],
    timeZone: string,
  ): Promise<AlertState | null> {
    let latest: AlertState | null = null;
    for (const action of actions) {
      const name = claimName(action);
      if (
        name !== null &&
        !(await deps.store.claim(team, name, { now: deps.now(), staleMs: ALERT_CLAIM_STALE_MS }))
      ) {
        deps.logger.info(
          `Alert incident #${action.incident.number} ${action.kind}: another process is sending it.`,
        );
        continue;
      }
      try {
        const state = await loadState(deps, team);
        const incident = stillOwed(state, action);
        if (!incident) continue;
        const outcome = await sendAction(deps, team, action, incident, state, timeZone);
        latest = await recordOutcome(deps, team, action, outcome);
      } finally {
        if (name !== null) await deps.store.release(team, name).catch(() => undefined);
      }
    }
    return latest;
  }

  async function recordOutcome(
    deps: Deps,
    team: string,
    action: AlertAction,
    outcome: DeliveryOutcome,
  ): Promise<AlertState> {
    const what = `incident #${action.incident.number} (${action.rule}) ${action.kind}`;
    if (outcome.ok)
      deps.logger.info(`Alert ${what} delivered to ${action.incident.channel ?? 'its channel'}.`);
    else
      deps.logger.error(
        `Alert ${what} could not be delivered: ${outcome.error}. It is retried at the next run.`,
      );
    // What Slack confirmed must be recorded, or the next run would post the incident again:
    // a failed write is retried before giving up loudly (the marker still prevents a second post).
    for (let attempt = 1; ; attempt++) {
      try {
        const { state } = await updateState(deps, team, (s) => ({
          state: recordDelivery(s, action, outcome),
          result: null,
        }));
        return state;
      } catch (error) {
        if (attempt >= 3) {
          deps.logger.error(
            `Alert ${what} was ${outcome.ok ? `delivered (ts ${outcome.ts ?? 'n/a'})` : 'not delivered'} but could not be recorded: ${describeError(error)}`,
          );
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  async function handleAlertsCommand(cmd: CommandContext): Promise<void> {
    const parsed = parseAlertsCommand(cmd.args);
    if (parsed.kind === 'change') requireAdmin(cmd.deps.config, cmd.user);
    await cmd.ack();
    const { deps, team } = cmd;
    try {
      const timeZone = await timeZoneOf(deps, team);
      if (parsed.kind === 'show') {
        const state = await loadState(deps, team);
        await cmd.respond(ephemeral(renderAlertsStatus(state, { timeZone, now: deps.now() })));
        return;
      }
      const { state, summary } = await applyChange(deps, team, parsed.change, cmd.user, timeZone);
      let notice = `:white_check_mark: ${summary}`;
      if (parsed.change.kind === 'channel') {
        const channel = parsed.change.channel.id;
        try {
          const slack = await ctx.slackFor(team);
          if (!slack) throw new Error('the app is not installed in this workspace');
          await slack.call(
            'chat.postMessage',
            { channel, ...renderChannelWelcome(cmd.user) },
            { safe: false, key: channel, what: 'channel welcome' },
          );
        } catch (error) {
          const described = describeDeliveryError(error);
          deps.logger.warn(`Alert channel ${channel}: the welcome post failed: ${described}.`);
          notice +=
            `\n:warning: I could not post in <#${channel}> (${described}). ` +
            'Invite me there with `/invite @Apollo Dashboard`, or alerts will fail to post.';
        }
      }
      await cmd.respond(ephemeral(renderAlertsStatus(state, { timeZone, now: deps.now(), notice })));
    } catch (error) {
      // The router answers a usage error with the usage, before or after the ack.
      if (isAppError(error, 'bad_command')) throw error;
      await reportFailure(deps, cmd.respond, `\`${COMMAND} ${cmd.text}\` failed.`, error);
    }
  }

  async function applyChange(
    deps: Deps,
    team: string,
    change: AlertsChange,
    user: string,
    timeZone: string,
  ): Promise<{ state: AlertState; summary: string }> {
    return serial.run(team, async () => {
      const out = await updateState(deps, team, (s) => {
        const r = applyAlertsChange(s, change, { now: deps.now(), user, timeZone });
        return { state: r.state, result: r };
      });
      const after = await deliver(deps, team, out.result.actions, timeZone);
      return { state: after ?? out.state, summary: out.result.summary };
    });
  }

  function parseButtonValue(value: string | undefined): { rule: AlertRuleId; number: number } | null {
    const m = /^([a-z_]+):(\d+)$/.exec(value ?? '');
    const rule = ALERT_RULE_IDS.find((r) => r === m?.[1]);
    return rule && m ? { rule, number: Number(m[2]) } : null;
  }

  async function tell(deps: Deps, respond: RespondFn, msg: SlackMessage): Promise<void> {
    try {
      await respond({ ...ephemeral(msg), replace_original: false });
    } catch (error) {
      deps.logger.error(`Could not answer an alert button: ${describeError(error)}`);
    }
  }

  function register(app: App): void {
    const { deps } = ctx;
    app.action<BlockButtonAction>(ACTIONS.alertAcknowledge, async ({ ack, body, action, respond }) => {
      await ack();
      const team = teamOf(body);
      const target = parseButtonValue(action.value);
      if (!target) return;
      try {
        const timeZone = await timeZoneOf(deps, team);
        const result = await serial.run(team, async () => {
          const out = await updateState(deps, team, (s) => {
            const r = acknowledgeIncident(s, target, { now: deps.now(), user: body.user.id });
            return { state: r.state, result: r.result };
          });
          if (out.result.status === 'acked' && out.result.action) {
            await deliver(deps, team, [out.result.action], timeZone);
          }
          return out.result;
        });
        if (result.status === 'acked') {
          deps.logger.info(`Alert incident #${target.number} acknowledged by ${body.user.id}.`);
        } else if (result.status === 'already') {
          const i = result.incident;
          const text = `Incident #${i.number} was already acknowledged by <@${escapeMrkdwn(i.acked_by ?? '')}> at ${slackDateTime(i.acked_at ?? '', timeZone)}.`;
          await tell(deps, respond, message(text, [section(`:eyes: ${text}`)]));
        } else {
          await tell(
            deps,
            respond,
            renderFailure(`Incident #${target.number} is no longer open; nothing to acknowledge.`),
          );
        }
      } catch (error) {
        await reportFailure(deps, respond, 'Could not acknowledge the incident.', error);
      }
    });

    app.action<BlockButtonAction>(ACTIONS.alertMute, async ({ ack, body, action, respond }) => {
      await ack();
      const team = teamOf(body);
      const target = parseButtonValue(action.value);
      if (!target) return;
      if (!isAdmin(deps.config, body.user.id)) {
        await tell(deps, respond, renderFailure(ADMIN_REFUSAL));
        return;
      }
      try {
        const timeZone = await timeZoneOf(deps, team);
        const { summary } = await applyChange(
          deps,
          team,
          { kind: 'mute', rules: [target.rule], durationMs: MUTE_BUTTON_MS },
          body.user.id,
          timeZone,
        );
        const undo = `Undo with \`${COMMAND} alerts unmute ${target.rule}\`.`;
        await tell(deps, respond, message(`${summary} ${undo}`, [section(`:mute: ${summary} ${undo}`)]));
      } catch (error) {
        await reportFailure(deps, respond, 'Could not mute the rule.', error);
      }
    });

    app.action<BlockButtonAction>(ACTIONS.alertOpenDashboard, async ({ ack, body, respond }) => {
      await ack();
      const team = teamOf(body);
      try {
        const msg = await dashboardMessage(deps, team, parsePeriod('last'), (t) => api.dashboardNotes(t));
        await respond({ ...ephemeral(msg), replace_original: false });
      } catch (error) {
        await reportFailure(deps, respond, 'Could not open the dashboard.', error);
      }
    });
  }

  const api: Alerts = {
    subcommand: { name: 'alerts', handle: handleAlertsCommand },
    register,

    async runDeleted(team, runId) {
      const { deps } = ctx;
      await serial.run(team, async () => {
        const [newest] = await deps.store.listRuns(team);
        await updateState(deps, team, (s) => ({
          state: forgetRun(s, runId, newest ?? null),
          result: undefined,
        }));
      });
    },

    async evaluateStoredRun(event) {
      const { deps } = ctx;
      const { team, runId } = event;
      await serial.run(team, async () => {
        const [aggregate] = await deps.store.getAggregates(team, [runId]);
        // Deleted (or replaced and damaged) since it was stored: there is nothing left to judge.
        if (!aggregate) return;
        const settings = await loadSettings(deps, team);
        const measurement = measureRun(aggregate, { rateLimit: settings.rate_limit });
        const { state, result: actions } = await updateState(deps, team, (s) => {
          const r = evaluateAlerts({ state: s, measurement, now: deps.now() });
          return { state: r.state, result: r.actions };
        });
        const firing = ALERT_RULE_IDS.filter((r) => state.rules[r]?.incident).join(', ') || 'none';
        deps.logger.info(
          `Alerts evaluated run ${runId}: firing ${firing}; ${actions.length} message(s) to send${state.channel ? '' : ' (no alert channel set)'}.`,
        );
        await deliver(deps, team, actions, settings.timezone);
      });
    },

    async dashboardNotes(team) {
      const state = await ctx.deps.store.getDocument(team, ALERTS_DOC, alertStateSchema);
      const notes: string[] = [];
      if (!state?.channel) {
        notes.push(`:warning: Alerts are not routed anywhere: \`${COMMAND} alerts channel #channel\``);
      }
      if (!state) return { notes, open: [] };
      if (ALERT_RULE_IDS.some((r) => state.rules[r]?.delivery_error)) {
        notes.push(`:warning: An alert could not be delivered to Slack. See \`${COMMAND} alerts\`.`);
      }
      return { notes, open: openIncidentLines(state) };
    },

    async statusMessage(team) {
      const state = await loadState(ctx.deps, team);
      return renderAlertsStatus(state, { timeZone: await timeZoneOf(ctx.deps, team), now: ctx.deps.now() });
    },

    async incidentsInWindow(team, window) {
      const state = await ctx.deps.store.getDocument(team, ALERTS_DOC, alertStateSchema);
      if (!state) return null;
      return summarizeIncidents(state, window, await timeZoneOf(ctx.deps, team));
    },

    async stop() {
      await serial.drain();
    },
  };
  return api;
}
