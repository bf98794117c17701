// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON in tests
/** Threshold alerts end to end: HTTP ingest, signed commands and button clicks, the fake Slack Web API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_DOC } from '../../../src/features/alerts/rules.js';
import { alertStateSchema } from '../../../src/features/alerts/state.js';
import { ACTIONS } from '../../../src/ids.js';
import {
  blockActionPayload,
  type Harness,
  startHarness,
  TEAM,
  visibleText,
} from '../../helpers/app-harness.js';
import type { RecordedCall } from '../../helpers/fake-slack.js';
import { assertAllSurfaces, assertResponseBody } from '../../helpers/slack-limits.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-23T09:00:00Z');
const CHANNEL = 'C0ALERTS';

/**
 * A run at `hours` after T0 with 60 calls one second apart: 40 to `/mixed_companies/search`
 * taking `searchSeconds`, 20 to `/organizations/enrich` taking 1 s (all 200).
 * Average response time = (40 × searchSeconds + 20) / 60.
 */
function runBody(id: string, hours: number, searchSeconds: number): string {
  const start = T0 + hours * HOUR;
  const api_calls = Array.from({ length: 60 }, (_, i) => ({
    timestamp: new Date(start + i * 1000).toISOString(),
    endpoint: i < 40 ? '/mixed_companies/search' : '/organizations/enrich',
    response_time: i < 40 ? searchSeconds : 1,
    status_code: 200,
    credits_used: 1,
  }));
  return JSON.stringify({ run_id: id, started_at: new Date(start).toISOString(), companies: [], api_calls });
}

/** Top-level posts (not thread replies) into the alert channel. */
const topPosts = (h: Harness) =>
  h.fake
    .callsOf('chat.postMessage')
    .filter((c) => c.args.channel === CHANNEL && c.args.thread_ts === undefined);
const threadReplies = (h: Harness, ts: string) =>
  h.fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === ts);
const updatesOf = (h: Harness, ts: string) => h.fake.callsOf('chat.update').filter((c) => c.args.ts === ts);

function click(h: Harness, o: { actionId: string; value: string; user: string; ts: string; id: string }) {
  const responseUrl = h.fake.responseUrl(o.id);
  const payload: any = blockActionPayload({
    actionId: o.actionId,
    value: o.value,
    user: o.user,
    responseUrl,
  });
  payload.container = { type: 'message', message_ts: o.ts, channel_id: CHANNEL, is_ephemeral: false };
  payload.channel = { id: CHANNEL, name: 'alerts' };
  return h.interact(payload);
}

async function stateOf(h: Harness) {
  return h.store.getDocument(TEAM, ALERTS_DOC, alertStateSchema);
}

async function alertsView(h: Harness, user = 'U_ADMIN'): Promise<string> {
  const { reply } = await h.command('alerts', { user });
  const body = await reply();
  assertResponseBody(body);
  expect(body.response_type).toBe('ephemeral');
  return visibleText(body);
}

describe('alerts: routing and permissions', () => {
  let h: Harness;
  let now = new Date(T0 + HOUR);
  beforeAll(async () => {
    h = await startHarness({ now: () => now, env: { ADMIN_USER_IDS: 'U_ADMIN' } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('posts nothing without an alert channel, and says so under the dashboard and in `alerts`', async () => {
    const res = await h.ingest(runBody('r1', 0, 3));
    expect(res.status).toBe(201);
    expect(h.fake.callsOf('chat.postMessage')).toEqual([]);
    const { reply } = await h.command('');
    const dashboard = await reply();
    assertResponseBody(dashboard);
    const text = visibleText(dashboard);
    expect(text).toContain('Alerts are not routed anywhere: `/apollo-dashboard alerts channel #channel`');
    // The summary: the open alert leads with its measured value, and the status cannot read well.
    expect(text).toContain('*Open alerts (1)*: #1 Average API response time 2.33s');
    expect(text).toContain(':red_circle: *Needs attention*: 1 open alert; avg response 2.33s, above 2.00s');
    expect(dashboard.text).toContain(
      'Status: Needs attention (1 open alert; avg response 2.33s, above 2.00s).',
    );
    const view = await alertsView(h);
    expect(view).toContain('*Alerts are not routed anywhere*');
    expect(view).toContain(
      ':red_circle: Firing since 2026-11-23 10:00 UTC (incident #1, 1 breaching run, latest 2.33s, not yet posted)',
    );
    expect(view).toContain('Last evaluation: run `r1` at 2026-11-23 10:00 UTC: 2.33s (breach)');
  });

  it('renders the words of `alerts off <!channel>` escaped exactly once', async () => {
    const { ack } = await h.command('alerts off <!channel>');
    assertResponseBody(ack.json);
    const shown = JSON.stringify(ack.json.blocks);
    expect(visibleText(ack.json)).toContain('`&lt;!channel&gt;` is not an alert rule');
    expect(shown).not.toContain('&amp;lt;');
    expect(shown).not.toContain('<!channel>');
  });

  it('lets only admins change alerts, and answers a mistyped one with the usage', async () => {
    const denied = await h.command(`alerts channel <#${CHANNEL}|alerts>`, { user: 'U_SOMEONE' });
    assertResponseBody(denied.ack.json);
    expect(visibleText(denied.ack.json)).toContain('Only the app admins (ADMIN_USER_IDS) can do that.');
    const bad = await h.command('alerts mute everything 2h');
    assertResponseBody(bad.ack.json);
    expect(bad.ack.json.response_type).toBe('ephemeral');
    expect(visibleText(bad.ack.json)).toContain('`everything` is not an alert rule');
    expect(visibleText(bad.ack.json)).toContain('Usage');
    const inconsistent = await h.command('alerts set success_rate 97');
    const body = await inconsistent.reply();
    assertResponseBody(body);
    expect(visibleText(body)).toContain('the recovery threshold must be at or above the alert threshold');
    expect((await stateOf(h))?.rules.success_rate?.threshold).toBeUndefined();
    expect(h.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('routes alerts to the channel from an escaped mention, and announces a still-open incident at the next run', async () => {
    const { ack, reply } = await h.command(`alerts channel <#${CHANNEL}|alerts>`);
    expect(ack.status).toBe(200);
    const body = await reply();
    assertResponseBody(body);
    expect(visibleText(body)).toContain(`Alerts now go to <#${CHANNEL}>.`);
    expect(visibleText(body)).toContain(`*Alert channel*: <#${CHANNEL}> (set by <@U_ADMIN>`);
    const welcome = h.fake.callsOf('chat.postMessage');
    expect(welcome).toHaveLength(1);
    expect(welcome[0]?.args.channel).toBe(CHANNEL);
    expect(welcome[0]?.args.text).toContain('Apollo Dashboard alerts will be posted in this channel');

    now = new Date(T0 + 2 * HOUR);
    expect((await h.ingest(runBody('r2', 1, 3))).status).toBe(201);
    const posts = topPosts(h).slice(1);
    expect(posts).toHaveLength(1);
    expect(visibleText(posts[0]?.args)).toContain(
      'Average API response time 2.33s · alert above 2.00s · incident #1',
    );
    expect(visibleText(posts[0]?.args)).toContain('2 breaching runs');
    const { reply: dash } = await h.command('');
    expect(visibleText(await dash())).not.toContain('not routed anywhere');
    assertAllSurfaces(h.fake.calls);
  });

  it('keeps the channel but warns at once when the bot cannot post there', async () => {
    h.fake.on('chat.postMessage', (args) =>
      args.channel === 'C0PRIVATE' ? { ok: false, error: 'not_in_channel' } : undefined,
    );
    const { reply } = await h.command('alerts channel <#C0PRIVATE|secret>');
    const body = await reply();
    assertResponseBody(body);
    const text = visibleText(body);
    expect(text).toContain('Alerts now go to <#C0PRIVATE>.');
    expect(text).toContain(
      ':warning: I could not post in <#C0PRIVATE> (not_in_channel). Invite me there with `/invite @Apollo Dashboard`',
    );
    expect((await stateOf(h))?.channel).toMatchObject({ id: 'C0PRIVATE', name: 'secret', set_by: 'U_ADMIN' });
  });
});

describe('alerts: one incident, updated in place, resolved in its thread', () => {
  let h: Harness;
  let now = new Date(T0);
  let ts = '';
  beforeAll(async () => {
    h = await startHarness({ now: () => now, env: { ADMIN_USER_IDS: 'U_ADMIN' } });
    const set = await h.command(`alerts channel <#${CHANNEL}|alerts>`);
    await set.reply();
    h.fake.reset();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('posts exactly one message for a breaching run, with value, threshold, run, endpoints, advice and buttons', async () => {
    now = new Date(T0 + 5 * 60_000);
    const res = await h.ingest(runBody('run-1', 0, 3));
    expect(res.status).toBe(201);
    const posts = h.fake.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    const post = posts[0] as RecordedCall;
    expect(post.args.channel).toBe(CHANNEL);
    const text = visibleText(post.args);
    expect(post.args.text).toBe('New incident #1: Average API response time 2.33s, above 2.00s. Run run-1.');
    // Measured value first, then where, then what to do.
    expect(text).toContain(
      '*Measured*: Average API response time *2.33s* in run `run-1`, alert threshold above 2.00s (recovers at 1.80s or less).\n' +
        '*Where*: `/mixed_companies/search` (status 200×40) · run `run-1`\n*Do*: Start with the slowest endpoint below',
    );
    expect(text).toContain(
      '• `/mixed_companies/search`: 40 calls, 100.0% ok, avg 3.00s (max 3.00s) · status 200×40',
    );
    expect(text).toContain(
      '• `/organizations/enrich`: 20 calls, 100.0% ok, avg 1.00s (max 1.00s) · status 200×20',
    );
    expect(text).toContain('Slow API response times - consider optimizing requests.');
    expect(text).toContain('Acknowledge');
    expect(text).toContain('Mute 24h');
    expect(text).toContain('Open dashboard');
    const state = await stateOf(h);
    ts = state?.rules.response_time?.incident?.message_ts ?? '';
    expect(ts).not.toBe('');
    expect(state?.rules.response_time?.last_notification).toEqual({
      at: now.toISOString(),
      kind: 'open',
      incident: 1,
    });
    expect(h.fake.callsOf('chat.update')).toEqual([]);
  });

  it('updates the same message for a second breaching run, and posts nothing new', async () => {
    now = new Date(T0 + HOUR);
    expect((await h.ingest(runBody('run-2', 1, 3.3))).status).toBe(201);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
    const updates = updatesOf(h, ts);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args.channel).toBe(CHANNEL);
    expect(updates[0]?.args.text).toBe(
      'Incident #1 still firing: Average API response time 2.53s (above 2.00s), 2 breaching runs. Run run-2.',
    );
  });

  it('changes nothing across a restart: the open incident is neither re-posted nor forgotten', async () => {
    await h.restart();
    now = new Date(T0 + 2 * HOUR);
    expect((await h.ingest(runBody('run-3', 2, 3))).status).toBe(201);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
    const updates = updatesOf(h, ts);
    expect(updates).toHaveLength(2);
    expect(updates[1]?.args.text).toContain('3 breaching runs. Run run-3.');
    expect(threadReplies(h, ts)).toEqual([]);
  });

  it('records an acknowledgement on the message and in `alerts`', async () => {
    now = new Date(T0 + 2 * HOUR + 10 * 60_000);
    const res = await click(h, {
      actionId: ACTIONS.alertAcknowledge,
      value: 'response_time:1',
      user: 'U_ONCALL',
      ts,
      id: 'ack-1',
    });
    expect(res.status).toBe(200);
    const update = await h.fake.waitFor(
      (c) => c.method === 'chat.update' && visibleText(c.args).includes('Acknowledged by <@U_ONCALL>'),
    );
    expect(update.args.ts).toBe(ts);
    expect(visibleText(update.args)).toContain(':eyes: Acknowledged by <@U_ONCALL> at 2026-11-23 11:10 UTC');
    // Who acknowledged replaces the button.
    const acked = (update.args.blocks ?? []).flatMap((b: any) => (b.type === 'actions' ? b.elements : []));
    expect(acked.map((b: any) => b.action_id)).toEqual([ACTIONS.alertMute, ACTIONS.alertOpenDashboard]);
    const view = await alertsView(h);
    expect(view).toContain('(incident #1, 3 breaching runs, latest 2.33s, acknowledged by <@U_ONCALL>)');

    await click(h, {
      actionId: ACTIONS.alertAcknowledge,
      value: 'response_time:1',
      user: 'U_OTHER',
      ts,
      id: 'ack-2',
    });
    const again = await h.fake.waitForResponse((r) => r.id === 'ack-2');
    assertResponseBody(again.body);
    expect(again.body.response_type).toBe('ephemeral');
    expect(again.body.replace_original).toBe(false);
    expect(visibleText(again.body)).toContain('already acknowledged by <@U_ONCALL>');
    expect((await stateOf(h))?.rules.response_time?.incident?.acked_by).toBe('U_ONCALL');
  });

  it('replies in the thread once the repeat interval has passed', async () => {
    now = new Date(T0 + 4 * HOUR + 10 * 60_000);
    expect((await h.ingest(runBody('run-4', 4, 3))).status).toBe(201);
    const replies = threadReplies(h, ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.args.channel).toBe(CHANNEL);
    expect(replies[0]?.args.text).toBe(
      ':repeat: Still firing (incident #1, for 4h 5m): Average API response time 2.33s in run run-4, alert threshold above 2.00s. 4 breaching runs so far.',
    );
    expect(topPosts(h)).toHaveLength(1);
    // Within the interval again: an update only.
    now = new Date(T0 + 5 * HOUR);
    expect((await h.ingest(runBody('run-5', 5, 3))).status).toBe(201);
    expect(threadReplies(h, ts)).toHaveLength(1);
  });

  it('holds a value between the thresholds as firing, and resolves past the recovery threshold in the thread', async () => {
    now = new Date(T0 + 6 * HOUR);
    // 1.9 s average: below the 2 s threshold but above the 1.8 s recovery.
    expect((await h.ingest(runBody('run-6', 6, 2.35))).status).toBe(201);
    expect(threadReplies(h, ts)).toHaveLength(1);
    expect((await stateOf(h))?.rules.response_time?.incident?.number).toBe(1);
    const between = updatesOf(h, ts).at(-1);
    expect(between?.args.text).toBe(
      'Incident #1 recovering: Average API response time 1.90s (clears at 1.80s or less), 5 breaching runs. Run run-6.',
    );
    expect(visibleText(between?.args)).toContain(
      'between the thresholds: no longer above 2.00s, not yet 1.80s or less.',
    );

    now = new Date(T0 + 7 * HOUR);
    expect((await h.ingest(runBody('run-7', 7, 1.5))).status).toBe(201);
    const replies = threadReplies(h, ts);
    expect(replies).toHaveLength(2);
    expect(replies[1]?.args.text).toBe(
      ':white_check_mark: Resolved after 6h 55m: Average API response time back to 1.33s in run run-7 (recovers at 1.80s or less).',
    );
    const last = updatesOf(h, ts).at(-1);
    expect(visibleText(last?.args)).toContain(
      ':white_check_mark: Resolved · Average API response time back to 1.33s · incident #1',
    );
    const buttons = (last?.args.blocks ?? []).flatMap((b: any) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b: any) => b.action_id)).toEqual([ACTIONS.alertOpenDashboard]);
    expect(topPosts(h)).toHaveLength(1);
    const view = await alertsView(h);
    expect(view).toContain(
      '*Average API response time* (`response_time`): alerts above 2.00s, recovers at 1.80s or less\n:large_green_circle: OK',
    );
    expect(view).toContain('Last notification: resolution for incident #1 at 2026-11-23 16:00 UTC');
  });

  it('opens a new incident as a new message; Mute 24h mutes the rule (admins only)', async () => {
    now = new Date(T0 + 8 * HOUR);
    expect((await h.ingest(runBody('run-8', 8, 3))).status).toBe(201);
    const posts = topPosts(h);
    expect(posts).toHaveLength(2);
    expect(posts[1]?.args.text).toBe(
      'New incident #2: Average API response time 2.33s, above 2.00s. Run run-8.',
    );
    const ts2 = (await stateOf(h))?.rules.response_time?.incident?.message_ts ?? '';
    expect(ts2).not.toBe(ts);

    await click(h, {
      actionId: ACTIONS.alertMute,
      value: 'response_time:2',
      user: 'U_SOMEONE',
      ts: ts2,
      id: 'mute-1',
    });
    const refused = await h.fake.waitForResponse((r) => r.id === 'mute-1');
    expect(visibleText(refused.body)).toContain('Only the app admins');
    expect((await stateOf(h))?.rules.response_time?.muted_until).toBeUndefined();

    await click(h, {
      actionId: ACTIONS.alertMute,
      value: 'response_time:2',
      user: 'U_ADMIN',
      ts: ts2,
      id: 'mute-2',
    });
    const muted = await h.fake.waitForResponse((r) => r.id === 'mute-2');
    assertResponseBody(muted.body);
    expect(visibleText(muted.body)).toContain(
      'Muted until 2026-11-24 17:00 (UTC): Average API response time. Undo with `/apollo-dashboard alerts unmute response_time`.',
    );
    const update = updatesOf(h, ts2).at(-1);
    expect(visibleText(update?.args)).toContain(':mute: Muted until 2026-11-24 17:00 UTC by <@U_ADMIN>');
    expect(await alertsView(h)).toContain(':mute: Muted until 2026-11-24 17:00 UTC by <@U_ADMIN>');

    // Muted: a breaching run past the repeat interval updates in place, no thread reply.
    now = new Date(T0 + 13 * HOUR);
    expect((await h.ingest(runBody('run-9', 13, 3))).status).toBe(201);
    expect(threadReplies(h, ts2)).toEqual([]);
    expect(updatesOf(h, ts2).at(-1)?.args.text).toContain('2 breaching runs');
  });

  it('answers Open dashboard with the latest run’s dashboard, only to the clicker', async () => {
    await click(h, {
      actionId: ACTIONS.alertOpenDashboard,
      value: 'run-9',
      user: 'U_ONCALL',
      ts,
      id: 'dash-1',
    });
    const dash = await h.fake.waitForResponse((r) => r.id === 'dash-1');
    assertResponseBody(dash.body);
    expect(dash.body.response_type).toBe('ephemeral');
    expect(dash.body.replace_original).toBe(false);
    const text = visibleText(dash.body);
    expect(text).toContain('Apollo dashboard');
    expect(text).toContain('run-9');
    expect(text).toContain(':rotating_light: Open alerts: #2 Average API response time 2.33s');
  });

  it('kept every surface within Slack’s limits', () => {
    assertAllSurfaces(h.fake.calls);
  });
});

describe('alerts: failed deliveries', () => {
  let h: Harness;
  let now = new Date(T0);
  beforeAll(async () => {
    h = await startHarness({ now: () => now, env: { ADMIN_USER_IDS: 'U_ADMIN' } });
    await (await h.command(`alerts channel <#${CHANNEL}|alerts>`)).reply();
    h.fake.reset();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('waits out a 429 from Slack (Retry-After) and then posts, once', async () => {
    h.fake.rateLimitNext('chat.postMessage', 1, 1);
    const res = await h.ingest(runBody('run-1', 0, 3));
    expect(res.status).toBe(201);
    const attempts = h.fake.callsOf('chat.postMessage');
    expect(attempts).toHaveLength(2);
    const [first, second] = attempts as [RecordedCall, RecordedCall];
    expect(second.at - first.at).toBeGreaterThanOrEqual(990);
    expect(second.args.text).toBe(first.args.text);
    const state = await stateOf(h);
    expect(state?.rules.response_time?.incident?.message_ts).toMatch(/^\d+\.\d+$/);
    expect(state?.rules.response_time?.delivery_error).toBeUndefined();
    expect(h.logs.some((l) => l.includes('WARN') && l.includes('retrying in 1000 ms'))).toBe(true);
  });

  it('reports a refused post in `alerts`, the dashboard and the log, and retries it at the next run', async () => {
    // A new incident on another rule, into a channel the bot is not in.
    let refuse = true;
    h.fake.on('chat.postMessage', () => (refuse ? { ok: false, error: 'not_in_channel' } : undefined));
    now = new Date(T0 + HOUR);
    const failing = JSON.parse(runBody('run-2', 1, 3));
    failing.api_calls = failing.api_calls.map((c: any, i: number) =>
      i < 6 ? { ...c, status_code: 503 } : c,
    );
    expect((await h.ingest(JSON.stringify(failing))).status).toBe(201);
    const state = await stateOf(h);
    expect(state?.rules.success_rate?.incident?.message_ts).toBeUndefined();
    expect(state?.rules.success_rate?.delivery_error).toEqual({
      at: now.toISOString(),
      kind: 'open',
      incident: 2,
      error: 'not_in_channel',
    });
    expect(
      h.logs.some(
        (l) =>
          l.includes('ERROR') &&
          l.includes('incident #2 (success_rate) open could not be delivered: not_in_channel'),
      ),
    ).toBe(true);
    const view = await alertsView(h);
    expect(view).toContain(
      ':warning: Delivery failed at 2026-11-23 10:00 UTC (new incident, incident #2): not_in_channel (the bot is not in the channel: `/invite @Apollo Dashboard` there). It is retried at the next run.',
    );
    expect(view).toContain('not yet posted');
    const { reply } = await h.command('');
    expect(visibleText(await reply())).toContain('An alert could not be delivered to Slack.');

    refuse = false;
    now = new Date(T0 + 2 * HOUR);
    expect(
      (
        await h.ingest(
          JSON.stringify({ ...failing, run_id: 'run-3', started_at: new Date(T0 + 2 * HOUR).toISOString() }),
        )
      ).status,
    ).toBe(201);
    const after = await stateOf(h);
    expect(after?.rules.success_rate?.incident?.message_ts).toMatch(/^\d+\.\d+$/);
    expect(after?.rules.success_rate?.delivery_error).toBeUndefined();
    const posted = h.fake
      .callsOf('chat.postMessage')
      .filter(
        (c) =>
          String(c.args.text).startsWith('Incident #2') || String(c.args.text).startsWith('New incident #2'),
      );
    expect(posted.map((c) => c.args.text)).toEqual([
      'New incident #2: API success rate 90.0%, below 95.0%. Run run-2.',
      'New incident #2: API success rate 90.0%, below 95.0%. Run run-3.',
    ]);
    assertAllSurfaces(h.fake.calls);
  });
});
