// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON in tests
/**
 * The app against a Slack that is slow, down or rate-limited (the fake Slack with injected delays,
 * hangs, 500s and 429s): every incident appears once and stays resolvable, users hear back within
 * Slack's windows, calls that are not safe to repeat are never repeated, and one channel's rate
 * limit holds up nobody else.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_DOC } from '../../src/features/alerts/rules.js';
import { alertStateSchema } from '../../src/features/alerts/state.js';
import { type Harness, startHarness, TEAM, visibleText } from '../helpers/app-harness.js';

const HOUR = 3_600_000;
const CHANNEL = 'C0ALERTS';
/** Short enough for tests, in the same proportions as the defaults. */
const POLICY = { callTimeoutMs: 400, totalMs: 3_000, backoffMs: 50, attempts: 3, slowNoticeMs: 250 };

/**
 * A run `hours` after `t0` with 60 calls: 40 to `/mixed_companies/search` taking `searchSeconds`,
 * 20 to `/organizations/enrich` taking 1 s. Average response time = (40 × searchSeconds + 20) / 60:
 * 3 s gives 2.33 s (over the 2 s alert threshold), 1.5 s gives 1.33 s (recovered).
 */
function runBody(t0: number, id: string, hours: number, searchSeconds: number): string {
  const start = t0 + hours * HOUR;
  const api_calls = Array.from({ length: 60 }, (_, i) => ({
    timestamp: new Date(start + i * 1000).toISOString(),
    endpoint: i < 40 ? '/mixed_companies/search' : '/organizations/enrich',
    response_time: i < 40 ? searchSeconds : 1,
    status_code: 200,
    credits_used: 1,
  }));
  return JSON.stringify({ run_id: id, started_at: new Date(start).toISOString(), companies: [], api_calls });
}

const stateOf = (h: Harness) => h.store.getDocument(TEAM, ALERTS_DOC, alertStateSchema);
/** Incident messages (they carry the app's marker) at the top of the alert channel. */
const topLevel = (h: Harness) =>
  h.fake.messagesIn(CHANNEL).filter((m) => m.thread_ts === undefined && m.metadata !== undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('alerts when Slack answers late, not at all, or refuses', () => {
  let h: Harness;
  // Real time, a day back: Slack's message ts and the app's clock agree.
  const t0 = Date.now() - 24 * HOUR;
  beforeAll(async () => {
    h = await startHarness({ slackPolicy: POLICY });
    await (await h.command(`alerts channel <#${CHANNEL}|alerts>`)).reply();
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(() => {
    h.fake.reset();
  });

  it('posts an incident once when Slack answers after the timeout: the late post is adopted, updated and resolved', async () => {
    h.fake.inject('chat.postMessage', { kind: 'delay', ms: 1_200 }, { times: 1 });
    const started = Date.now();
    const res = await h.ingest(runBody(t0, 'slow-1', 0, 3), { settle: false });
    // The upload is answered before Slack is even asked.
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(1_000);
    await h.running.settle();
    const first = await stateOf(h);
    const incident = first?.rules.response_time?.incident;
    expect(incident?.message_ts).toBeUndefined();
    expect(incident?.post_attempt?.marker).toContain(`incident:${TEAM}:1:`);
    expect(first?.rules.response_time?.delivery_error?.error).toContain('no answer within 400 ms');
    // Slack has the message all the same (it answered late).
    await sleep(1_000);
    expect(topLevel(h)).toHaveLength(1);
    const lateTs = topLevel(h)[0]?.ts;

    // The next run looks the marker up, adopts the message, and updates it instead of posting again.
    expect((await h.ingest(runBody(t0, 'slow-2', 1, 3))).status).toBe(201);
    const second = await stateOf(h);
    expect(second?.rules.response_time?.incident?.message_ts).toBe(lateTs);
    expect(second?.rules.response_time?.incident?.post_attempt).toBeUndefined();
    expect(second?.rules.response_time?.delivery_error).toBeUndefined();
    expect(h.fake.callsOf('conversations.history')).toHaveLength(1);
    expect(h.fake.callsOf('chat.update').map((c) => c.args.ts)).toEqual([lateTs]);
    expect(topLevel(h)).toHaveLength(1);

    // Recovery resolves that one message, in place and in its thread.
    expect((await h.ingest(runBody(t0, 'slow-3', 2, 1.5))).status).toBe(201);
    const resolved = (await stateOf(h))?.history.find((i) => i.number === 1);
    expect(resolved?.resolved_at).toBeDefined();
    expect(resolved?.resolve_pending).toBeUndefined();
    expect(h.fake.callsOf('chat.update').map((c) => c.args.ts)).toEqual([lateTs, lateTs]);
    expect(h.fake.messagesIn(CHANNEL).filter((m) => m.thread_ts === lateTs)).toHaveLength(1);
    expect(topLevel(h)).toHaveLength(1);
  });

  it('never repeats a post Slack may have done (a 500 after processing), and adopts it at the next run', async () => {
    h.fake.inject('chat.postMessage', { kind: 'status', status: 500, processed: true }, { times: 1 });
    expect((await h.ingest(runBody(t0, 'five-1', 3, 3))).status).toBe(201);
    expect(h.fake.callsOf('chat.postMessage'), h.logs.slice(-6).join('\n')).toHaveLength(1);
    const ts = topLevel(h)[0]?.ts;
    expect(ts).toBeDefined();
    expect((await stateOf(h))?.rules.response_time?.incident?.message_ts).toBeUndefined();
    expect((await h.ingest(runBody(t0, 'five-2', 4, 3))).status).toBe(201);
    expect((await stateOf(h))?.rules.response_time?.incident?.message_ts).toBe(ts);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect((await h.ingest(runBody(t0, 'five-3', 5, 1.5))).status).toBe(201);
    expect(topLevel(h)).toHaveLength(1);
  });

  it('still reports an incident that opened and cleared while Slack refused (a long 429): posted as resolved, once', async () => {
    h.fake.rateLimitNext('chat.postMessage', 1, 60);
    expect((await h.ingest(runBody(t0, 'limited-1', 6, 3))).status).toBe(201);
    expect(topLevel(h)).toHaveLength(0);
    expect((await stateOf(h))?.rules.response_time?.delivery_error?.error).toContain('rate limited');
    // Ingest is not held up by the 429 (60 s): the next run comes and recovers. The key stays
    // blocked in this process for 60 s, so let a fresh process (a restart) send the report.
    await h.restart();
    expect((await h.ingest(runBody(t0, 'limited-2', 7, 1.5))).status).toBe(201);
    const posts = topLevel(h);
    expect(posts).toHaveLength(1);
    expect(String(posts[0]?.text)).toMatch(/^Resolved: incident #\d+/);
    const reported = (await stateOf(h))?.history[0];
    expect(reported?.message_ts).toBe(posts[0]?.ts);
    expect(reported?.report_pending).toBeUndefined();
    expect(reported?.resolve_pending).toBeUndefined();
    // Nothing more is owed: a further good run posts nothing.
    expect((await h.ingest(runBody(t0, 'limited-3', 8, 1.5))).status).toBe(201);
    expect(topLevel(h)).toHaveLength(1);
  });

  it('posts an incident whose earlier try was lost even when Slack refuses the history lookup (missing scope)', async () => {
    h.fake.inject('chat.postMessage', { kind: 'hang' }, { times: 1 });
    expect((await h.ingest(runBody(t0, 'scope-1', 9, 3))).status).toBe(201);
    const open = (await stateOf(h))?.rules.response_time?.incident;
    expect(open?.post_attempt).toBeDefined();
    h.fake.on('conversations.history', () => ({ ok: false, error: 'missing_scope' }));
    expect((await h.ingest(runBody(t0, 'scope-2', 10, 3))).status).toBe(201);
    const after = (await stateOf(h))?.rules.response_time?.incident;
    expect(after?.number).toBe(open?.number);
    expect(after?.message_ts).toBeDefined();
    expect(
      h.logs.some(
        (l) => l.includes('WARN') && l.includes('could not look for an earlier post (missing_scope)'),
      ),
    ).toBe(true);
    expect((await h.ingest(runBody(t0, 'scope-3', 11, 1.5))).status).toBe(201);
  });

  it('re-sends nothing after a restart', async () => {
    const before = h.fake.calls.length;
    await h.restart();
    await h.running.settle();
    expect(
      h.fake.calls.slice(before).filter((c) => c.method.startsWith('chat.') || c.method.startsWith('files.')),
    ).toEqual([]);
  });
});

describe('people hear back within Slack’s windows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ slackPolicy: POLICY });
    expect((await h.ingest(runBody(Date.now() - HOUR, 'r1', 0, 1))).status).toBe(201);
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(() => {
    h.fake.reset();
  });

  it('`post` while Slack hangs: "still trying", then a final word, and the post is not repeated', async () => {
    h.fake.inject('chat.postMessage', { kind: 'hang' });
    const { ack, responseId } = await h.command('post 7d', { channel: 'C_HANG' });
    expect(ack.status).toBe(200);
    const slow = await h.fake.waitForResponse((r) => r.id === responseId, 2_000);
    expect(visibleText(slow.body)).toContain('Slack is slow');
    const final = await h.fake.waitForResponse(
      (r) => r.id === responseId && !visibleText(r.body).includes('Slack is slow'),
      POLICY.totalMs + 2_000,
    );
    expect(visibleText(final.body)).toContain('Could not post the dashboard.');
    expect(visibleText(final.body)).toContain('Slack did not answer in time');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('`post` after a 500 that may have posted: told so, not repeated', async () => {
    h.fake.inject('chat.postMessage', { kind: 'status', status: 500 }, { times: 1 });
    const { reply } = await h.command('post 7d', { channel: 'C_500' });
    const body = await reply(POLICY.totalMs + 2_000);
    expect(visibleText(body)).toContain('Could not post the dashboard.');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('`digest now` while Slack hangs tells the user the digest was not posted, once', async () => {
    await (await h.command('digest channel <#C0DIGEST|digest>')).reply();
    h.fake.reset();
    h.fake.inject('chat.postMessage', { kind: 'hang' });
    const { responseId } = await h.command('digest now');
    const slow = await h.fake.waitForResponse((r) => r.id === responseId, 2_000);
    expect(visibleText(slow.body)).toContain('Slack is slow');
    const final = await h.fake.waitForResponse(
      (r) => r.id === responseId && visibleText(r.body).includes('The digest was not posted.'),
      POLICY.totalMs + 2_000,
    );
    expect(visibleText(final.body)).toContain('Slack did not complete chat.postMessage');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('an export while Slack fails the last step: the share is never repeated and the user is told', async () => {
    h.fake.inject('files.completeUploadExternal', { kind: 'status', status: 500 });
    // The safe steps are retried: the upload URL after a 500.
    h.fake.inject('files.getUploadURLExternal', { kind: 'status', status: 500 }, { times: 1 });
    const { reply } = await h.command('export csv 7d', { channel: 'C_EXPORT' });
    await reply();
    const final = await h.fake.waitForResponse(
      (r) => visibleText(r.body).includes('Could not post the export.'),
      POLICY.totalMs + 2_000,
    );
    expect(visibleText(final.body)).toContain('Slack did not answer in time');
    expect(h.fake.callsOf('files.getUploadURLExternal')).toHaveLength(2);
    expect(h.fake.callsOf('files.completeUploadExternal')).toHaveLength(1);
  });

  it('opens another user’s form at once while one channel is rate-limited, and the limited post waits, then goes', async () => {
    h.fake.rateLimitNext('chat.postMessage', 1, 1, (args) => args.channel === 'C_BUSY');
    const busy = await h.command('post 7d', { channel: 'C_BUSY', user: 'U_ONE' });
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C_BUSY');
    const started = Date.now();
    const form = await h.command('upload', { user: 'U_TWO' });
    expect(form.ack.status).toBe(200);
    await h.fake.waitFor((c) => c.method === 'views.open', 1_000);
    expect(Date.now() - started).toBeLessThan(800);
    // Another channel's post is not held up either.
    await (await h.command('post 7d', { channel: 'C_FREE', user: 'U_TWO' })).ack;
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C_FREE', 800);
    // The limited one is retried after Retry-After (1 s), once, and its user is told it went.
    const posts = () => h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C_BUSY');
    await h.fake.waitFor(() => posts().length === 2, 3_000).catch(() => undefined);
    await sleep(200);
    expect(posts()).toHaveLength(2);
    const [first, second] = posts();
    expect((second?.at ?? 0) - (first?.at ?? Number.POSITIVE_INFINITY)).toBeGreaterThanOrEqual(990);
    const done = await h.fake.waitForResponse(
      (r) => r.id === busy.responseId && visibleText(r.body).includes('posted'),
      2_000,
    );
    expect(visibleText(done.body)).toContain('The dashboard is posted.');
  });

  it('explains an expired trigger instead of "something went wrong"', async () => {
    h.fake.on('views.open', () => ({ ok: false, error: 'expired_trigger_id' }));
    const { reply } = await h.command('upload');
    const text = visibleText(await reply());
    expect(text).toContain('within 3 seconds');
    expect(text).not.toContain('Something went wrong');
  });

  it('gives up on a form Slack does not open within the trigger’s 3 s, and says so', async () => {
    h.fake.inject('views.open', { kind: 'hang' });
    const started = Date.now();
    const { reply } = await h.command('upload');
    const text = visibleText(await reply(5_000));
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(text).toContain('Could not open the upload form.');
    expect(h.fake.callsOf('views.open')).toHaveLength(1);
  });
});
