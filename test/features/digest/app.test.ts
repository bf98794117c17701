// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON in tests

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendScheduledDigest } from '../../../src/features/digest/job.js';
import { DIGEST_DOC, digestStateSchema } from '../../../src/features/digest/state.js';
import { ACTIONS } from '../../../src/ids.js';
import { createSlackDelivery } from '../../../src/slack/delivery.js';
import {
  blockActionPayload,
  type Harness,
  startHarness,
  TEAM,
  visibleText,
} from '../../helpers/app-harness.js';
import { assertAllSurfaces, assertResponseBody } from '../../helpers/slack-limits.js';

/** A run of `n` companies, `tier1` of them Tier 1, started at `at`. */
function run(id: string, at: string, n: number, tier1: number, industry = 'Software'): string {
  const companies = Array.from({ length: n }, (_, i) => ({
    name: i === 0 ? `<!here> ${id}` : `${id}-company-${i}`,
    industry,
    country: 'Germany',
    icp_score: i < tier1 ? 90 - i : 40,
    tier: i < tier1 ? 'Tier 1' : 'Unqualified',
  }));
  const api_calls = Array.from({ length: 10 }, (_, i) => ({
    timestamp: at,
    endpoint: '/mixed_companies/search',
    response_time: 0.4,
    status_code: i === 0 ? 429 : 200,
    credits_used: 1,
  }));
  return JSON.stringify({ run_id: id, started_at: at, companies, api_calls });
}

async function digestState(h: Harness) {
  return h.store.getDocument(TEAM, DIGEST_DOC, digestStateSchema);
}

describe('the digest: settings, now, preview and a scheduled fire', () => {
  let h: Harness;
  let now = new Date('2026-11-30T10:00:00Z'); // a Monday
  beforeAll(async () => {
    h = await startHarness({ now: () => now, env: { ADMIN_USER_IDS: 'U_ADMIN' } });
    expect((await h.ingest(run('w1', '2026-11-20T09:00:00Z', 10, 1))).status).toBe(201);
    expect((await h.ingest(run('w2', '2026-11-27T09:00:00Z', 20, 4, 'Retail'))).status).toBe(201);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('shows the default schedule in words with its zone, and no channel', async () => {
    const body = await (await h.command('digest')).reply();
    assertResponseBody(body);
    const text = visibleText(body);
    expect(text).toContain('Mondays 09:00 UTC');
    expect(text).toContain('not set');
  });

  it('refuses changes to non-admins and explains bad input', async () => {
    const refused = await h.command('digest channel <#CDIGEST1|digest>', { user: 'U_OTHER' });
    expect(visibleText(refused.ack.json)).toContain('Only the app admins');
    for (const [text, expected] of [
      ['digest schedule funday 09:00', '`funday` is not a day'],
      ['digest schedule monday 9am', '`9am` is not a time'],
      ['digest schedule monday 09:00 Mars/Base', '`Mars/Base` is not an IANA time zone'],
      ['digest schedule cron "61 * * * *"', 'not a valid cron expression'],
      ['digest schedule cron "* * * * * *"', 'more than once a minute'],
      ['digest channel general', 'Name one channel'],
    ] as const) {
      const { ack } = await h.command(text);
      assertResponseBody(ack.json);
      expect(visibleText(ack.json)).toContain(expected);
    }
    expect(await digestState(h)).toBeUndefined();
  });

  it('sets the channel (escaped mention) and a schedule, and says when the next send is', async () => {
    await (await h.command('digest channel <#CDIGEST1|digest>')).reply();
    const body = await (await h.command('digest schedule monday 09:00 Europe/Berlin')).reply();
    const text = visibleText(body);
    expect(text).toContain('Mondays 09:00 Europe/Berlin');
    expect(text).toContain('<#CDIGEST1>');
    // Now is Monday 11:00 in Berlin: the next send is next Monday 09:00 local.
    expect(text).toContain('*Next send*: 2026-12-07 09:00');
    const state = await digestState(h);
    expect(state).toMatchObject({
      channel: 'CDIGEST1',
      timezone: 'Europe/Berlin',
      schedule: { kind: 'weekly', day: 1 },
    });
  });

  it('previews the digest to the caller only, with measured week-over-week changes', async () => {
    const before = h.fake.callsOf('chat.postMessage').length;
    const body = await (await h.command('digest preview')).reply();
    assertResponseBody(body);
    expect(body.response_type).toBe('ephemeral');
    const text = visibleText(body);
    // This week: w2 (20 companies, 4 Tier 1); the week before: w1 (10, 1).
    expect(text).toContain('*Discovered*\n20 (↑ +10 better)');
    expect(text).toContain('*Qualification rate*\n20.0% (↑ +10.0 pp better)');
    expect(text).toContain('*Tier 1*\n4 (↑ +3 better)');
    expect(text).toContain('New Tier 1 companies (4)');
    expect(text).toContain('&lt;!here&gt; w2');
    expect(text).not.toContain('<!here>');
    expect(text).toContain('Retail ↑20');
    expect(h.fake.callsOf('chat.postMessage').length).toBe(before);
  });

  it('lists each new Tier 1 company once, however many runs re-found it', async () => {
    const again = { ...JSON.parse(run('w2', '2026-11-28T09:00:00Z', 20, 4, 'Retail')), run_id: 'w2-again' };
    expect((await h.ingest(JSON.stringify(again))).status).toBe(201);
    const text = visibleText(await (await h.command('digest preview')).reply());
    expect(text).toContain('New Tier 1 companies (4)');
  });

  it('follows the workspace time zone until the digest is given its own', async () => {
    await (await h.command('settings timezone=America/New_York')).reply();
    const following = visibleText(await (await h.command('digest schedule monday 09:00')).reply());
    const own = visibleText(await (await h.command('digest schedule monday 09:00 Europe/Berlin')).reply());
    await (await h.command('settings timezone=UTC')).reply();
    expect(following).toContain('Mondays 09:00 America/New_York');
    expect(own).toContain('Mondays 09:00 Europe/Berlin');
  });

  it("adds campaign results and the week's incidents once those exist", async () => {
    await (await h.command('campaign email sent=100 responded=10 converted=1 date=2026-11-28')).reply();
    await (await h.command('alerts channel <#CALERTS1>')).reply();
    const calls = Array.from({ length: 25 }, (_, i) => ({
      timestamp: '2026-11-29T09:00:00Z',
      endpoint: '/mixed_companies/search',
      response_time: 0.4,
      status_code: i < 5 ? 500 : 200,
      credits_used: 1,
    }));
    const breach = JSON.stringify({
      ...JSON.parse(run('w3', '2026-11-29T09:00:00Z', 5, 1)),
      api_calls: calls,
    });
    expect((await h.ingest(breach)).status).toBe(201);
    now = new Date('2026-11-30T10:05:00Z');
    const text = visibleText(await (await h.command('digest preview')).reply());
    now = new Date('2026-11-30T10:00:00Z');
    expect(text).toContain('*Response rate*\n10.0% (no comparison)');
    expect(text).toMatch(/\*Alerts\*: [1-9]\d* incidents? opened, 0 resolved this week/);
  });

  it('posts `digest now` to the digest channel without consuming the scheduled send', async () => {
    await (await h.command('digest now')).reply();
    const post = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CDIGEST1',
    );
    assertAllSurfaces([post]);
    expect(post.args.text).toContain('Apollo weekly digest');
    const open = post.args.blocks
      .flatMap((b: any) => b.elements ?? [])
      .find((e: any) => e.action_id === ACTIONS.digestOpenDashboard);
    expect(open).toBeDefined();
    const state = await digestState(h);
    expect(state?.history).toEqual([]);
    expect(state?.last_manual?.status).toBe('posted');
  });

  it('opens the dashboard for whoever clicks the digest button', async () => {
    const url = h.fake.responseUrl('digest-open');
    await h.interact(
      blockActionPayload({
        actionId: ACTIONS.digestOpenDashboard,
        value: '7d',
        user: 'U_OTHER',
        responseUrl: url,
      }),
    );
    const reply = await h.fake.waitForResponse((r) => r.id === 'digest-open');
    assertResponseBody(reply.body);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(visibleText(reply.body)).toContain('Apollo dashboard');
  });

  it('fires on a schedule once, and a second fire for the same time posts nothing', async () => {
    const before = h.fake.callsOf('chat.postMessage').length;
    // Once a minute, at a second just ahead of the real clock (node-cron fires on real time).
    const second = (new Date().getUTCSeconds() + 2) % 60;
    await (await h.command(`digest schedule cron "${second} * * * * *" UTC`)).reply();
    const post = await h.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'CDIGEST1' &&
        h.fake.callsOf('chat.postMessage').length > before,
      8000,
    );
    await (await h.command('digest off')).reply();
    assertAllSurfaces([post]);
    const state = await digestState(h);
    const sent = state?.history.find((r) => r.status === 'posted');
    expect(sent).toBeDefined();
    const after = h.fake.callsOf('chat.postMessage').length;
    // The same occurrence fired again (a restart, a second process): nothing is posted.
    await (await h.command('digest on')).reply();
    const again = await sendScheduledDigest(
      {
        deps: h.running.deps,
        slack: createSlackDelivery(h.running.app.client),
        incidents: async () => null,
      },
      TEAM,
      { at: new Date(sent?.intended_at ?? ''), local: sent?.local ?? '' },
      { late: false },
    );
    await (await h.command('digest off')).reply();
    expect(again).toBe('duplicate');
    expect(
      h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CDIGEST1').length,
    ).toBeLessThanOrEqual(after + 1);
    now = new Date('2026-11-30T10:00:00Z');
  });
});

describe('catch-up after downtime, once', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apollo-digest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('posts a digest missed within 24 h once, marked late; a restart after that posts nothing', async () => {
    let now = new Date('2026-11-27T12:00:00Z');
    h = await startHarness({ now: () => now, dir });
    await h.ingest(run('c1', '2026-11-26T09:00:00Z', 5, 1));
    await (await h.command('digest channel <#CWEEKLY1>')).reply();
    await (await h.command('digest schedule monday 09:00 America/New_York')).reply();
    await h.running.stop();
    // Down over Monday 09:00 New York (14:00Z); back at 20:00Z.
    now = new Date('2026-11-30T20:00:00Z');
    const before = h.fake.callsOf('chat.postMessage').length;
    await h.restart();
    const late = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CWEEKLY1',
    );
    assertAllSurfaces([late]);
    expect(visibleText(late.args)).toContain('Posted late: it was due 2026-11-30 09:00');
    expect(h.fake.callsOf('chat.postMessage').length).toBe(before + 1);
    await h.restart();
    expect(h.fake.callsOf('chat.postMessage').length).toBe(before + 1);
    const status = visibleText(await (await h.command('digest')).reply());
    expect(status).toContain('posted late to <#CWEEKLY1> (due 2026-11-30 09:00');
  });

  it('records an older missed digest as missed, shown in `digest`, not posted', async () => {
    let now = new Date('2026-11-27T12:00:00Z');
    h = await startHarness({ now: () => now, dir: await mkdtemp(join(tmpdir(), 'apollo-digest-')) });
    await (await h.command('digest channel <#CWEEKLY1>')).reply();
    await h.running.stop();
    now = new Date('2026-12-02T12:00:00Z'); // Monday 09:00 UTC passed 2 days ago
    const before = h.fake.callsOf('chat.postMessage').length;
    await h.restart();
    const status = visibleText(await (await h.command('digest')).reply());
    expect(status).toContain('missed 2026-11-30 09:00');
    expect(h.fake.callsOf('chat.postMessage').length).toBe(before);
  });

  it('reports a failed post in `digest` and the log, and says quiet weeks are quiet', async () => {
    let now = new Date('2026-11-27T12:00:00Z');
    h = await startHarness({ now: () => now, dir: await mkdtemp(join(tmpdir(), 'apollo-digest-')) });
    await (await h.command('digest channel <#CNOPE001>')).reply();
    h.fake.on('chat.postMessage', (args) =>
      args.channel === 'CNOPE001' ? { ok: false, error: 'not_in_channel' } : undefined,
    );
    await h.running.stop();
    now = new Date('2026-11-30T10:00:00Z');
    await h.restart();
    const attempt = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CNOPE001',
    );
    expect(visibleText(attempt.args)).toContain('No runs this week');
    const status = visibleText(await (await h.command('digest')).reply());
    expect(status).toContain('FAILED');
    expect(status).toContain('not_in_channel');
    expect(h.logs.join('\n')).toContain('was not delivered: not_in_channel');
  });

  it('skips a quiet week when skip-empty is on', async () => {
    let now = new Date('2026-11-27T12:00:00Z');
    h = await startHarness({ now: () => now, dir: await mkdtemp(join(tmpdir(), 'apollo-digest-')) });
    await (await h.command('digest channel <#CQUIET01>')).reply();
    await (await h.command('digest skip-empty on')).reply();
    await h.running.stop();
    now = new Date('2026-11-30T10:00:00Z');
    await h.restart();
    const status = visibleText(await (await h.command('digest')).reply());
    expect(status).toContain('skipped 2026-11-30 09:00');
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CQUIET01')).toEqual([]);
  });

  it('delays but does not lose a post Slack rate-limits', async () => {
    let now = new Date('2026-11-27T12:00:00Z');
    h = await startHarness({ now: () => now, dir: await mkdtemp(join(tmpdir(), 'apollo-digest-')) });
    await (await h.command('digest channel <#CBUSY001>')).reply();
    await h.running.stop();
    h.fake.rateLimitNext('chat.postMessage', 1, 1);
    now = new Date('2026-11-30T10:00:00Z');
    await h.restart();
    const posts = h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CBUSY001');
    expect(posts.length).toBe(2);
    const status = visibleText(await (await h.command('digest')).reply());
    expect(status).toContain('posted late to <#CBUSY001>');
  });
});
