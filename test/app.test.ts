// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON in tests
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, VIEWS } from '../src/ids.js';
import {
  BOT_TOKEN,
  blockActionPayload,
  type Harness,
  INGEST_TOKEN,
  SIGNING_SECRET,
  startHarness,
  TEAM,
  viewSubmissionPayload,
  visibleText,
} from './helpers/app-harness.js';
import { signSlackRequest } from './helpers/signed-request.js';
import { assertAllSurfaces, assertResponseBody } from './helpers/slack-limits.js';

const NOW = new Date('2026-11-24T12:00:00Z');

/** 10 companies (2 Tier 1, 1 Tier 2, 1 Tier 3, 6 Unqualified) and 20 calls (19 ok at 0.5 s, one 500). */
function runJson(overrides: Record<string, unknown> = {}): string {
  const tiers = [
    'Tier 1',
    'Tier 1',
    'Tier 2',
    'Tier 3',
    'Unqualified',
    'Unqualified',
    'Unqualified',
    'Unqualified',
    'Unqualified',
    'Unqualified',
  ];
  const companies = tiers.map((tier, i) => ({
    name: i === 0 ? '<!channel> Corp' : `Company ${i}`,
    domain: `c${i}.example.com`,
    industry: i < 5 ? 'Software' : 'Retail',
    employees: 50 + i,
    country: 'Germany',
    icp_score: 95 - i * 5,
    tier,
    campaign: i < 2 ? 'Email' : undefined,
  }));
  const api_calls = Array.from({ length: 20 }, (_, i) => ({
    timestamp: new Date(Date.parse('2026-11-23T09:00:00Z') + i * 1000).toISOString(),
    endpoint: '/mixed_companies/search',
    response_time: 0.5,
    status_code: i === 19 ? 500 : 200,
    credits_used: 1,
  }));
  return JSON.stringify({
    run_id: 'run-a',
    started_at: '2026-11-23T09:00:00Z',
    companies,
    api_calls,
    ...overrides,
  });
}

describe('the app over signed HTTP against a fake Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW, env: { ADMIN_USER_IDS: 'U_ADMIN', MAX_UPLOAD_MB: '0.5' } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('rejects requests with a bad signature or a stale timestamp, and takes a valid one', async () => {
    const body =
      'command=%2Fapollo-dashboard&text=help&team_id=T_TEST&user_id=U1&channel_id=C1&response_url=x&trigger_id=t';
    const bad = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
        'X-Slack-Signature': 'v0=deadbeef',
      },
      body,
    });
    expect(bad.status).toBe(401);
    const staleTs = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': String(staleTs),
        'X-Slack-Signature': signSlackRequest(SIGNING_SECRET, body, staleTs),
      },
      body,
    });
    expect(stale.status).toBe(401);
    const { ack } = await h.command('help');
    expect(ack.status).toBe(200);
    expect(ack.json.response_type).toBe('ephemeral');
    expect(visibleText(ack.json)).toContain('/apollo-dashboard upload');
    assertResponseBody(ack.json);
  });

  it('says an empty period is empty and how to upload', async () => {
    const { ack, reply } = await h.command('');
    expect(ack.status).toBe(200);
    const body = await reply();
    assertResponseBody(body);
    expect(body.response_type).toBe('ephemeral');
    expect(visibleText(body)).toContain('No runs in this period');
    expect(visibleText(body)).toContain('/apollo-dashboard upload');
  });

  it('answers a bad command at once with the problem and the usage', async () => {
    const { ack } = await h.command('fortnight');
    expect(ack.status).toBe(200);
    assertResponseBody(ack.json);
    const text = visibleText(ack.json);
    expect(text).toContain('`fortnight` is not a period');
    expect(text).toContain('Usage');
  });

  it('guards the ingest endpoint: 401 without or with a wrong token, 413 when too large', async () => {
    expect((await h.ingest(runJson(), { token: null })).status).toBe(401);
    expect((await h.ingest(runJson(), { token: `${INGEST_TOKEN}x` })).status).toBe(401);
    const huge = JSON.stringify({
      started_at: '2026-11-23T09:00:00Z',
      companies: [],
      pad: 'x'.repeat(600_000),
    });
    const res = await h.ingest(huge);
    expect(res.status).toBe(413);
    expect(res.json.message).toContain('limit is');
    expect(await h.store.listRuns(TEAM)).toEqual([]);
  });

  it('rejects a bad run with 400 naming row and field, storing nothing', async () => {
    const bad = JSON.parse(runJson());
    bad.companies[3].icp_score = 120;
    bad.companies[5].employees = 'many';
    const res = await h.ingest(JSON.stringify(bad));
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('upload_invalid');
    const wheres = res.json.problems.map((p: any) => `${p.where}.${p.field}`);
    expect(wheres).toEqual(expect.arrayContaining(['companies[3].icp_score', 'companies[5].employees']));
    const csv = await h.ingest('Company,ICP Score\nAcme,abc\n', {
      contentType: 'text/csv',
      query: '?started_at=2026-11-23',
    });
    expect(csv.status).toBe(400);
    expect(csv.json.problems[0]).toMatchObject({ where: 'row 2', field: 'ICP Score' });
    expect(await h.store.listRuns(TEAM)).toEqual([]);
  });

  it('stores a run from the ingest API and shows it on the dashboard with the right figures', async () => {
    const res = await h.ingest(runJson());
    expect(res.status).toBe(201);
    expect(res.json.run).toMatchObject({
      run_id: 'run-a',
      headline: { companies: 10, qualified: 4, tier_1: 2 },
    });
    expect(res.json.replaced).toBe(false);

    const { reply } = await h.command('full 7d');
    const body = await reply();
    assertResponseBody(body);
    const text = visibleText(body);
    expect(body.text).toContain('10 discovered, 4 qualified (40.0%), 2 Tier 1 — Excellent');
    expect(body.text).toContain('API success 95.0%, avg response 0.50s');
    expect(text).toContain('*Median score*\n72.5');
    expect(text).toContain('*Calls*\n20 (1 failed)');
    expect(text).toContain('Software');
    // The company named <!channel> never reaches Slack unescaped.
    expect(JSON.stringify(body)).not.toContain('<!channel>');
  });

  it('replaces a run uploaded again with the same run_id and never counts it twice', async () => {
    const res = await h.ingest(runJson({ label: 'second upload' }));
    expect(res.status).toBe(201);
    expect(res.json.replaced).toBe(true);
    expect(res.json.message).toContain('replaced');
    const runs = await h.store.listRuns(TEAM);
    expect(runs.map((r) => r.run_id)).toEqual(['run-a']);
    const body = await (await h.command('full all')).reply();
    expect(body.text).toContain('10 discovered');
  });

  it('takes an Apollo CSV export on the ingest API with started_at and run_id as query parameters', async () => {
    const csv =
      'Company Name,Website,# Employees,Industry,Company Country,ICP Score,Tier,Campaign\n' +
      'Globex,https://www.globex.com/about,"1,200",Manufacturing,United States,88.5,Tier 1,LinkedIn\n' +
      'Initech,initech.io,,Software,,,,\n';
    const res = await h.ingest(csv, {
      contentType: 'text/csv',
      query: '?started_at=2026-11-22T08:00:00Z&run_id=csv-1',
    });
    expect(res.status).toBe(201);
    expect(res.json.run).toMatchObject({
      run_id: 'csv-1',
      started_at: '2026-11-22T08:00:00.000Z',
      headline: { companies: 2, qualified: 1 },
    });
    const companies = await h.store.getCompanies(TEAM, 'csv-1');
    expect(companies?.[0]).toMatchObject({
      name: 'Globex',
      domain: 'globex.com',
      employees: 1200,
      icp_score: 88.5,
    });
    expect(companies?.[1]?.icp_score).toBeUndefined();
  });

  it('posts the dashboard to the channel, and explains /invite on not_in_channel', async () => {
    const { reply: _r } = await h.command('post all', { channel: 'C_TEAM' });
    const post = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C_TEAM');
    expect(post.token).toBe(BOT_TOKEN);
    // The summary: one screen, its fallback text carrying the headline figure and the status.
    expect(post.args.blocks.length).toBeLessThanOrEqual(10);
    expect(post.args.text).toMatch(/^Apollo dashboard \(All runs\): \d+ Tier 1 accounts \(.*\)\. Status: /);
    assertAllSurfaces([post]);

    // Full dashboard under a posted summary: a thread reply. Slack refuses its charts here
    // (invalid_blocks), so the same figures go again without them.
    h.fake.on('chat.postMessage', (args) =>
      args.thread_ts && /data_(visualization|table)/.test(JSON.stringify(args.blocks ?? []))
        ? { ok: false, error: 'invalid_blocks' }
        : undefined,
    );
    const detailClick = blockActionPayload({
      actionId: ACTIONS.dashboardDetail,
      value: 'all',
      responseUrl: h.fake.responseUrl('detail-1'),
    }) as any;
    detailClick.container = {
      type: 'message',
      message_ts: '1700.42',
      channel_id: 'C_TEAM',
      is_ephemeral: false,
    };
    detailClick.channel = { id: 'C_TEAM', name: 'team' };
    expect((await h.interact(detailClick)).status).toBe(200);
    const detail = await h.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.thread_ts === '1700.42' &&
        !/data_(visualization|table)/.test(JSON.stringify(c.args.blocks ?? [])),
    );
    const refused = h.fake
      .callsOf('chat.postMessage')
      .filter(
        (c) => c.args.thread_ts === '1700.42' && /data_visualization/.test(JSON.stringify(c.args.blocks)),
      );
    expect(refused).toHaveLength(1);
    expect(detail.args.text).toContain('12 discovered');
    expect(visibleText(detail.args)).toContain('*Top industries*');
    assertAllSurfaces([refused[0] as any, detail]);
    h.fake.reset();

    h.fake.on('chat.postMessage', (args) =>
      args.channel === 'C_PRIVATE' ? { ok: false, error: 'not_in_channel' } : undefined,
    );
    const { reply } = await h.command('post', { channel: 'C_PRIVATE' });
    const body = await reply();
    expect(body.response_type).toBe('ephemeral');
    expect(visibleText(body)).toContain('/invite');
  });

  it('opens the upload modal, checks it inline, then stores an attached file and tells the uploader', async () => {
    const before = h.fake.callsOf('views.open').length;
    await h.command('upload', { channel: 'C_UPLOAD' });
    const open = await h.fake.waitFor(
      (c) => c.method === 'views.open' && h.fake.callsOf('views.open').length > before,
    );
    assertAllSurfaces([open]);
    expect(open.args.view.callback_id).toBe(VIEWS.upload);

    const empty = await h.interact(
      viewSubmissionPayload({
        callbackId: VIEWS.upload,
        values: {},
        privateMetadata: open.args.view.private_metadata,
      }),
    );
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({
      response_action: 'errors',
      errors: { [BLOCKS.uploadFile]: expect.any(String) },
    });

    const url = h.fake.serveFile(
      'run-b.json',
      runJson({ run_id: 'run-b', started_at: '2026-11-21T09:00:00Z' }),
      {
        token: BOT_TOKEN,
      },
    );
    const ok = await h.interact(
      viewSubmissionPayload({
        callbackId: VIEWS.upload,
        privateMetadata: open.args.view.private_metadata,
        values: {
          [BLOCKS.uploadFile]: {
            [ACTIONS.uploadFile]: {
              type: 'file_input',
              files: [
                { id: 'F1', name: 'run-b.json', filetype: 'json', size: 5000, url_private_download: url },
              ],
            },
          },
        },
      }),
    );
    expect(ok.status).toBe(200);
    const told = await h.fake.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C_UPLOAD',
    );
    assertAllSurfaces([told]);
    expect(told.args.user).toBe('U_ADMIN');
    expect(told.args.text).toContain(
      'Run run-b stored: 10 companies, 4 qualified (40.0%), 2 Tier 1, 20 API calls',
    );
    expect((await h.store.listRuns(TEAM)).map((r) => r.run_id)).toContain('run-b');
  });

  it('reports a bad uploaded file with row and field, and stores nothing', async () => {
    const runsBefore = await h.store.listRuns(TEAM);
    const bad = 'Company,ICP Score,Tier\nAcme,95,Tier 1\nBeta,,Tier 9\n';
    const url = h.fake.serveFile('bad.csv', bad, { token: BOT_TOKEN });
    await h.interact(
      viewSubmissionPayload({
        callbackId: VIEWS.upload,
        privateMetadata: JSON.stringify({ channel_id: 'C_BAD' }),
        values: {
          [BLOCKS.uploadFile]: {
            [ACTIONS.uploadFile]: {
              type: 'file_input',
              files: [
                { id: 'F2', name: 'bad.csv', filetype: 'csv', size: bad.length, url_private_download: url },
              ],
            },
          },
        },
      }),
    );
    const told = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C_BAD');
    assertAllSurfaces([told]);
    const text = visibleText(told.args);
    expect(text).toContain('Upload rejected');
    expect(text).toContain('row 3, Tier');
    expect(text).toContain('Nothing was stored');
    expect(await h.store.listRuns(TEAM)).toEqual(runsBefore);
  });

  it('falls back to a DM when the ephemeral cannot be delivered', async () => {
    h.fake.on('chat.postEphemeral', (args) =>
      args.channel === 'C_GONE' ? { ok: false, error: 'channel_not_found' } : undefined,
    );
    await h.interact(
      viewSubmissionPayload({
        callbackId: VIEWS.upload,
        privateMetadata: JSON.stringify({ channel_id: 'C_GONE' }),
        values: {
          [BLOCKS.uploadPaste]: {
            [ACTIONS.uploadPaste]: { type: 'plain_text_input', value: '{"companies": [{"tier": "Gold"}]}' },
          },
        },
      }),
    );
    const dm = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U_ADMIN');
    expect(visibleText(dm.args)).toContain('Upload rejected');
    expect(visibleText(dm.args)).toContain('companies[0]');
  });

  it('lists runs, refuses deletion to non-admins, and deletes after confirmation', async () => {
    const list = await (await h.command('runs')).reply();
    assertResponseBody(list);
    expect(visibleText(list)).toContain('run-a');
    expect(visibleText(list)).toContain('csv-1');

    const refused = await h.command('runs delete csv-1', { user: 'U_SOMEONE' });
    expect(visibleText(refused.ack.json)).toContain('Only the app admins');

    const confirm = await (await h.command('runs delete csv-1')).reply();
    assertResponseBody(confirm);
    const actionsBlock = confirm.blocks.find((b: any) => b.type === 'actions');
    expect(actionsBlock.elements.map((e: any) => e.action_id)).toEqual([
      ACTIONS.runDeleteConfirm,
      ACTIONS.runDeleteCancel,
    ]);
    expect((await h.store.listRuns(TEAM)).map((r) => r.run_id)).toContain('csv-1');

    const nonAdminClick = h.fake.responseUrl('click-1');
    await h.interact(
      blockActionPayload({
        actionId: ACTIONS.runDeleteConfirm,
        value: 'csv-1',
        user: 'U_SOMEONE',
        responseUrl: nonAdminClick,
      }),
    );
    const nope = await h.fake.waitForResponse((r) => r.id === 'click-1');
    expect(visibleText(nope.body)).toContain('Only the app admins');
    expect((await h.store.listRuns(TEAM)).map((r) => r.run_id)).toContain('csv-1');

    const click = h.fake.responseUrl('click-2');
    await h.interact(
      blockActionPayload({ actionId: ACTIONS.runDeleteConfirm, value: 'csv-1', responseUrl: click }),
    );
    const done = await h.fake.waitForResponse((r) => r.id === 'click-2');
    assertResponseBody(done.body);
    expect(done.body.replace_original).toBe(true);
    expect(visibleText(done.body)).toContain('deleted');
    expect((await h.store.listRuns(TEAM)).map((r) => r.run_id)).not.toContain('csv-1');
  });

  it('changes settings for admins only and shows who set them', async () => {
    const refused = await h.command('settings rate_limit=200', { user: 'U_SOMEONE' });
    expect(visibleText(refused.ack.json)).toContain('Only the app admins');
    const bad = await h.command('settings rate_limit=lots');
    expect(visibleText(bad.ack.json)).toContain('rate_limit must be a whole number');
    const set = await (await h.command('settings rate_limit=200 timezone=Europe/Berlin')).reply();
    assertResponseBody(set);
    expect(visibleText(set)).toContain('200 requests/min (set by <@U_ADMIN>');
    expect(visibleText(set)).toContain('Europe/Berlin');
    const dash = await (await h.command('full all')).reply();
    expect(visibleText(dash)).toContain('of 200 (');
  });

  it('keeps workspaces apart', async () => {
    const other = await (await h.command('all', { team: 'T_OTHER' })).reply();
    expect(visibleText(other)).toContain('No runs in this period');
  });

  it('answers /healthz with the store status', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      store: 'ok',
      workspaces: 'ok',
      damaged_records: 0,
      store_kind: 'sqlite',
    });
  });

  it('never writes a secret to the log', () => {
    const all = h.logs.join('\n');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(INGEST_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).toContain('Stored run run-a');
  });
});

describe('when the store fails', () => {
  it('shows an error instead of an empty dashboard, and /healthz answers 503', async () => {
    const h = await startHarness({ now: () => NOW });
    try {
      await h.store.close();
      const body = await (await h.command('all')).reply();
      assertResponseBody(body);
      const text = visibleText(body);
      expect(text).toContain('failed');
      expect(text).toContain('store could not');
      expect(text).not.toContain('No runs in this period');
      const res = await fetch(`${h.url}/healthz`);
      expect(res.status).toBe(503);
      expect(h.logs.join('\n')).toContain('store_unavailable');
    } finally {
      await h.stop();
    }
  });
});

describe('concurrent uploads', () => {
  it('keeps all of 50 runs pushed at once through the ingest API', async () => {
    const h = await startHarness({ now: () => NOW });
    try {
      const bodies = Array.from({ length: 50 }, (_, i) =>
        runJson({
          run_id: `burst-${i}`,
          started_at: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T09:00:00Z`,
        }),
      );
      const answers = await Promise.all(bodies.map((b) => h.ingest(b)));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
      const runs = await h.store.listRuns(TEAM);
      expect(runs.map((r) => r.run_id).sort()).toEqual(
        Array.from({ length: 50 }, (_, i) => `burst-${i}`).sort(),
      );
      const body = await (await h.command('full all')).reply();
      expect(body.text).toContain('500 discovered');
    } finally {
      await h.stop();
    }
  });
});
