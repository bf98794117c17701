import { describe, expect, it } from 'vitest';
import { aggregateRun } from '../../../src/domain/aggregate.js';
import { applyAlertsChange } from '../../../src/features/alerts/change.js';
import { type AlertAction, evaluateAlerts, recordDelivery } from '../../../src/features/alerts/evaluate.js';
import { measureRun } from '../../../src/features/alerts/measure.js';
import {
  renderAlertsStatus,
  renderChannelWelcome,
  renderIncidentMessage,
  renderIncidentReply,
} from '../../../src/features/alerts/messages.js';
import { type AlertState, emptyAlertState, type Incident } from '../../../src/features/alerts/state.js';
import { ACTIONS } from '../../../src/ids.js';
import { calls, companies, makeRun } from '../../helpers/factories.js';
import { dateTokens, readDates } from '../../helpers/slack-dates.js';
import { messageSchema } from '../../helpers/slack-limits.js';

const NOW = new Date('2026-11-20T10:00:00Z');

/** Every text in the blocks, date tokens read as their fallback (`rawTextsOf` keeps the tokens). */
function textsOf(value: unknown): string[] {
  return rawTextsOf(value).map(readDates);
}

function rawTextsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(rawTextsOf);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'text' && typeof v === 'string' ? [v] : rawTextsOf(v),
  );
}

function expectValid(value: unknown): void {
  const result = messageSchema.safeParse(value);
  expect(result.success ? [] : result.error.issues).toEqual([]);
}

/** 8 endpoints; the one named `<!here>` fails most; run id and label carry mentions too. */
function breachingRun(at: string, runId = 'run-<!channel>') {
  const run = makeRun({
    run_id: runId,
    label: 'EU & <@U123>',
    started_at: at,
    api_calls: calls(
      80,
      (i) => ({
        endpoint: i < 10 ? '/<!here>' : `/endpoint-${i % 7}`,
        status_code: i < 8 ? 500 : i < 10 ? 429 : 200,
        response_time: 0.5 + (i % 7) / 10,
      }),
      at,
    ),
    companies: companies(30, (i) => ({ tier: i < 2 ? 'Tier 1' : 'Unqualified' })),
  });
  return measureRun(aggregateRun(run), { rateLimit: 100 });
}

function openState(): { state: AlertState; actions: AlertAction[] } {
  let state = applyAlertsChange(
    emptyAlertState(),
    { kind: 'channel', channel: { id: 'C_ALERTS' } },
    { now: NOW, user: 'U_ADMIN', timeZone: 'UTC' },
  ).state;
  const r = evaluateAlerts({ state, measurement: breachingRun('2026-11-20T09:00:00Z'), now: NOW });
  state = r.state;
  for (const a of r.actions)
    state = recordDelivery(state, a, { ok: true, at: NOW, ts: `1.${a.incident.number}` });
  return { state, actions: r.actions };
}

function incidentOf(actions: AlertAction[], rule: string): Incident {
  const found = actions.find((a) => a.rule === rule);
  if (!found) throw new Error(`no action for ${rule}`);
  return found.incident;
}

describe('the incident message', () => {
  it('shows the rule, the value against the threshold, the run, the endpoints, the advice and three buttons', () => {
    const { actions } = openState();
    const msg = renderIncidentMessage(incidentOf(actions, 'success_rate'), { timeZone: 'UTC' });
    expectValid(msg);
    const text = textsOf(msg.blocks).join('\n');
    expect(msg.text).toBe('New incident #1: API success rate 87.5%, below 95.0%. Run run-&lt;!channel&gt;.');
    // One incident names both figures: the error rate is the success rate's complement.
    expect(text).toContain(
      ':rotating_light: API success rate 87.5% · error rate 12.5% · alert below 95.0% · incident #1',
    );
    expect(text).toContain(
      '*Measured*: API success rate *87.5%* · error rate 12.5% in run `run-&lt;!channel&gt;` (EU &amp; &lt;@U123&gt;)',
    );
    expect(text).toContain('*Where*: `/&lt;!here&gt;` (status 429×2, 500×8) · run `run-&lt;!channel&gt;`');
    expect(text).toContain('*Do*: Look at the failing endpoint and status codes below');
    expect(text).toContain('alert threshold below 95.0% (recovers at 96.0% or more)');
    expect(text).toContain('Opened 2026-11-20 10:00 UTC');
    expect(text).toContain(
      '• `/&lt;!here&gt;`: 10 calls, 0.0% ok, avg n/a (max n/a), 2 rate-limited · status 429×2, 500×8',
    );
    expect(text).toContain('…and 3 more endpoints.');
    expect(text).toContain('Low API success rate - check API key and rate limits.');
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123>/);
    const buttons = msg.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => ('action_id' in b ? b.action_id : ''))).toEqual([
      ACTIONS.alertAcknowledge,
      ACTIONS.alertMute,
      ACTIONS.alertOpenDashboard,
    ]);
    expect(textsOf(buttons)).toEqual(['Acknowledge', 'Mute 24h', 'Open dashboard']);
  });

  it('says who acknowledged and that the rule is muted; a repeat is told apart from a new incident', () => {
    const { actions } = openState();
    const incident: Incident = {
      ...incidentOf(actions, 'success_rate'),
      breaching_runs: 3,
      message_ts: '1.1',
      acked_by: 'U_ONCALL',
      acked_at: '2026-11-20T10:05:00Z',
      latest_at: '2026-11-20T15:00:00Z',
    };
    const msg = renderIncidentMessage(incident, {
      timeZone: 'Europe/Berlin',
      mutedUntil: '2026-11-21T10:00:00Z',
      mutedBy: 'U_ADMIN',
    });
    expectValid(msg);
    const text = textsOf(msg.blocks).join('\n');
    expect(msg.text).toMatch(
      /^Incident #1 still firing: API success rate 87\.5% \(below 95\.0%\), 3 breaching runs/,
    );
    expect(text).toContain(':eyes: Acknowledged by <@U_ONCALL> at 2026-11-20 11:05 Europe/Berlin');
    // Each reader sees their own zone: the times are Slack date tokens (2026-11-20T10:05:00Z is
    // 1795169100 s: 1795168800 for 10:00 UTC plus 300), the workspace's wall clock as fallback.
    const raw = rawTextsOf(msg.blocks).join('\n');
    expect(raw).toContain(
      ':eyes: Acknowledged by <@U_ONCALL> at <!date^1795169100^{date_short_pretty} at {time}|2026-11-20 11:05 Europe/Berlin>',
    );
    // Opened (10:00 UTC), acknowledged, muted until (next day 10:00 UTC = +86,400 s), last updated (15:00 UTC = +18,000 s).
    expect(dateTokens(raw).map((t) => t.epoch)).toEqual([1795168800, 1795169100, 1795255200, 1795186800]);
    // The header is plain text: no token there.
    const head = msg.blocks[0];
    expect(head?.type === 'header' ? head.text.text : '').not.toContain('<!date');
    const buttons = msg.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(textsOf(buttons)).toEqual(['Mute 24h', 'Open dashboard']);
    expect(text).toContain(':mute: Muted until 2026-11-21 11:00 Europe/Berlin by <@U_ADMIN>');
    const reply = renderIncidentReply('repeat', incident, { timeZone: 'UTC' });
    expectValid(reply);
    expect(textsOf(reply.blocks)[0]).toBe(
      ':repeat: Still firing (incident #1, for 5h): API success rate 87.5% in run `run-&lt;!channel&gt;` (EU &amp; &lt;@U123&gt;), alert threshold below 95.0%. 3 breaching runs so far.',
    );
  });

  it('shows the qualification figures for the qualification rule', () => {
    const { actions } = openState();
    const msg = renderIncidentMessage(incidentOf(actions, 'qualification_rate'), { timeZone: 'UTC' });
    expectValid(msg);
    expect(textsOf(msg.blocks).join('\n')).toContain('*Companies in the run*: 30 discovered, 2 qualified');
  });

  it('turns into a resolved message with the duration, and a resolve reply', () => {
    const { state } = openState();
    const healthy = makeRun({
      run_id: 'run-ok',
      started_at: '2026-11-20T12:00:00Z',
      api_calls: calls(40, () => ({}), '2026-11-20T12:00:00Z'),
    });
    const r = evaluateAlerts({
      state,
      measurement: measureRun(aggregateRun(healthy), { rateLimit: 100 }),
      now: new Date('2026-11-20T12:30:00Z'),
    });
    const resolved = incidentOf(r.actions, 'success_rate');
    const msg = renderIncidentMessage(resolved, { timeZone: 'UTC' });
    expectValid(msg);
    const text = textsOf(msg.blocks).join('\n');
    expect(text).toContain(':white_check_mark: Resolved · API success rate back to 100.0% · incident #1');
    expect(text).toContain('*Resolved* after 2h 30m: 100.0% in run `run-ok` (recovers at 96.0% or more).');
    expect(textsOf(msg.blocks)).toContain('Open dashboard');
    expect(textsOf(msg.blocks)).not.toContain('Acknowledge');
    const reply = renderIncidentReply('resolve', resolved, { timeZone: 'UTC' });
    expect(reply.text).toBe(
      ':white_check_mark: Resolved after 2h 30m: API success rate back to 100.0% in run run-ok (recovers at 96.0% or more).',
    );
  });
});

describe('the alerts status view', () => {
  it('lists every rule with threshold, state, last evaluation, notification and delivery errors', () => {
    let { state } = openState();
    const action = evaluateAlerts({
      state,
      measurement: breachingRun('2026-11-20T13:00:00Z', 'run-2'),
      now: NOW,
    });
    state = action.state;
    const failed = action.actions.find((a) => a.rule === 'response_time') as AlertAction | undefined;
    expect(failed).toBeUndefined(); // response time is fine in this run
    const upd = action.actions.find((a) => a.rule === 'qualification_rate') as AlertAction;
    state = recordDelivery(state, upd, { ok: false, at: NOW, error: 'not_in_channel' });
    state = applyAlertsChange(
      state,
      { kind: 'mute', rules: ['peak_usage'], durationMs: 3_600_000 },
      { now: NOW, user: 'U_ADMIN', timeZone: 'UTC' },
    ).state;
    state = applyAlertsChange(
      state,
      { kind: 'enable', rules: ['response_time'], enabled: false },
      { now: NOW, user: 'U_ADMIN', timeZone: 'UTC' },
    ).state;
    const msg = renderAlertsStatus(state, { timeZone: 'UTC', now: NOW });
    expectValid(msg);
    const text = textsOf(msg.blocks).join('\n');
    expect(text).toContain('*Alert channel*: <#C_ALERTS> (set by <@U_ADMIN> on 2026-11-20 10:00 UTC)');
    expect(text).toContain(
      ':red_circle: Firing since 2026-11-20 10:00 UTC (incident #1, 2 breaching runs, latest 87.5%)',
    );
    expect(text).toContain(
      '*Average API response time* (`response_time`): alerts above 2.00s, recovers at 1.80s or less\n:white_circle: Off',
    );
    expect(text).toContain(':mute: Muted until 2026-11-20 11:00 UTC by <@U_ADMIN>');
    expect(text).toContain('Last evaluation: run `run-2` at 2026-11-20 10:00 UTC: 87.5% (breach)');
    expect(text).toContain(
      'Last evaluation: run `run-2` at 2026-11-20 10:00 UTC: 12.5% (breach, named in incident #1)',
    );
    expect(text).toContain('Last notification: new incident for incident #1 at 2026-11-20 10:00 UTC');
    expect(text).toContain(
      ':warning: Delivery failed at 2026-11-20 10:00 UTC (update, incident #2): not_in_channel (the bot is not in the channel: `/invite @Apollo Dashboard` there). It is retried at the next run.',
    );
    expect(text).toContain('Minimum evidence: 20 API calls (API rules), 20 companies (qualification).');
    // Success rate (naming the error rate), qualification rate, and 2 of 80 calls rate-limited (2.5 %).
    expect(msg.text).toBe('Alerts: 3 open incidents; posting to the alert channel.');
  });

  it('says when alerts are not routed anywhere', () => {
    const msg = renderAlertsStatus(emptyAlertState(), { timeZone: 'UTC', now: NOW });
    expectValid(msg);
    const text = textsOf(msg.blocks).join('\n');
    expect(text).toContain('*Alerts are not routed anywhere*');
    expect(text).toContain('`/apollo-dashboard alerts channel #channel`');
    expect(text).toContain('Last evaluation: none yet');
  });

  it('welcomes the channel it was pointed at', () => {
    const msg = renderChannelWelcome('U_ADMIN');
    expectValid(msg);
    expect(msg.text).toBe('Apollo Dashboard alerts will be posted in this channel (set by <@U_ADMIN>).');
  });
});
