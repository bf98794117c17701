// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads and replies are arbitrary JSON in tests
/**
 * Distributed mode, the way Slack and a browser drive it: the real Bolt receiver runs the OAuth
 * flow (install page, state cookie, redirect) against the fake Slack API's `oauth.v2.access`;
 * installations live in the SQLite store with sealed tokens; every send carries the token of the
 * workspace it is for; ingest keys pick the workspace; uninstall events drop tokens and stop the
 * digest; data goes after the retention period (injected clock).
 */

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp, type RunningApp } from '../../src/app.js';
import { sendScheduledDigest } from '../../src/features/digest/job.js';
import { ACTIONS, BLOCKS, BOT_SCOPES, VIEWS } from '../../src/ids.js';
import { createLogger } from '../../src/logger.js';
import { createSlackDelivery } from '../../src/slack/delivery.js';
import { readBotTeam } from '../../src/slack/workspace.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { fixtureBytes } from '../domain/read/fixture.js';
import {
  type Harness,
  SIGNING_SECRET,
  startHarness,
  viewSubmissionPayload,
  visibleText,
} from '../helpers/app-harness.js';
import type { FakeGrant, RecordedCall } from '../helpers/fake-slack.js';
import { createSchema, dropSchema, postgresTitle, skipPostgres } from '../helpers/postgres.js';
import { postSigned } from '../helpers/signed-request.js';

const CLIENT_ID = '1111.2222';
const CLIENT_SECRET = 'client-secret-0123456789abcdef';
const STATE_SECRET = 'state-secret-0123456789abcdef';
const TOKEN_KEY = randomBytes(32).toString('base64');
const DISTRIBUTED_ENV = {
  SLACK_BOT_TOKEN: '',
  INGEST_TOKEN: '',
  SLACK_CLIENT_ID: CLIENT_ID,
  SLACK_CLIENT_SECRET: CLIENT_SECRET,
  SLACK_STATE_SECRET: STATE_SECRET,
  SLACK_TOKEN_KEY: TOKEN_KEY,
  DATA_RETENTION_DAYS: '30',
};

const ALPHA: FakeGrant = {
  code: 'code-alpha',
  teamId: 'T_ALPHA',
  teamName: 'Alpha Agency',
  botToken: 'xoxb-alpha-0001',
  botUserId: 'U_BOT_ALPHA',
  installerId: 'U_ADMIN',
};
const BETA: FakeGrant = {
  code: 'code-beta',
  teamId: 'T_BETA',
  teamName: 'Beta Client',
  botToken: 'xoxb-beta-0002',
  botUserId: 'U_BOT_BETA',
  installerId: 'U_ADMIN',
};
const DAY_MS = 24 * 60 * 60_000;

/** A run of `n` companies, the first `tier1` of them Tier 1, all at `at`. */
function runJson(id: string, at: string, n: number, tier1: number): string {
  return JSON.stringify({
    run_id: id,
    started_at: at,
    companies: Array.from({ length: n }, (_, i) => ({
      name: `${id}-company-${i}`,
      industry: 'Software',
      country: 'Germany',
      icp_score: i < tier1 ? 90 : 40,
      tier: i < tier1 ? 'Tier 1' : 'Unqualified',
    })),
    api_calls: [{ timestamp: at, endpoint: '/mixed_companies/search', response_time: 0.4, status_code: 200 }],
  });
}

/** A browser's install: GET /slack/install (state cookie), then Slack's redirect back with the code. */
async function install(
  h: Harness,
  grant: FakeGrant,
  at: { start?: string; finish?: string } = {},
): Promise<Response> {
  h.fake.grantInstall(grant);
  const start = await fetch(`${at.start ?? h.url}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location') ?? '');
  expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(authorize.searchParams.get('scope')).toBe(BOT_SCOPES.join(','));
  const state = authorize.searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^slack-app-oauth-state=/);
  return fetch(
    `${at.finish ?? h.url}/slack/oauth_redirect?code=${encodeURIComponent(grant.code)}&state=${encodeURIComponent(state)}`,
    { headers: { Cookie: cookie }, redirect: 'manual' },
  );
}

/** `/apollo-dashboard <text>` from a workspace, waiting for the reply. */
async function ask(h: Harness, team: string, text: string, extra: { channel?: string } = {}): Promise<any> {
  const { ack, reply } = await h.command(text, { team, ...extra });
  expect(ack.status).toBe(200);
  return reply();
}

async function newKey(h: Harness, team: string): Promise<string> {
  const text = visibleText(await ask(h, team, 'settings ingest-key new'));
  const key = /`(adk_[A-Za-z0-9_-]+)`/.exec(text)?.[1];
  expect(key).toBeDefined();
  return key as string;
}

function eventBody(team: string, event: object, org?: { enterprise: string }): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: team,
    ...(org ? { enterprise_id: org.enterprise } : {}),
    api_app_id: 'A_APOLLO',
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(4).toString('hex')}`,
    event_time: 1_764_500_000,
    authorizations: [
      {
        enterprise_id: org?.enterprise ?? null,
        team_id: team,
        user_id: 'U_BOT',
        is_bot: true,
        is_enterprise_install: org !== undefined,
      },
    ],
  });
}

async function sendEvent(h: Harness, team: string, event: object, org?: { enterprise: string }) {
  const res = await postSigned(`${h.url}/slack/events`, eventBody(team, event, org), {
    secret: SIGNING_SECRET,
    contentType: 'application/json',
  });
  expect(res.status).toBe(200);
}

const tokensOf = (calls: readonly RecordedCall[]) => [...new Set(calls.map((c) => c.token))];

let h: Harness | undefined;
const extra: Array<{ running: RunningApp; store: Store }> = [];
/** PostgreSQL schemas created for a test, dropped once its apps are stopped. */
const schemas: string[] = [];
afterEach(async () => {
  for (const e of extra.splice(0)) {
    await e.running.stop().catch(() => undefined);
    await e.store.close().catch(() => undefined);
  }
  await h?.stop();
  h = undefined;
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

describe('install to any workspace (distributed mode)', () => {
  it('installs two workspaces through OAuth and stores their tokens sealed, in the database', async () => {
    h = await startHarness({ env: DISTRIBUTED_ENV });
    const done = await install(h, ALPHA);
    expect(done.status).toBe(200);
    expect(await install(h, BETA).then((r) => r.status)).toBe(200);
    const exchanges = h.fake.callsOf('oauth.v2.access');
    expect(exchanges.map((c) => c.args.code)).toEqual(['code-alpha', 'code-beta']);
    expect(exchanges.every((c) => c.args.client_id === CLIENT_ID)).toBe(true);
    // Installing again (a new code, a new token) replaces the workspace's token.
    const again = await install(h, { ...BETA, code: 'code-beta-2', botToken: 'xoxb-beta-0003' });
    expect(again.status).toBe(200);

    // The tokens are in the SQLite file, sealed: neither appears in plain text.
    const file = await readFile(join(h.dir, 'store.sqlite')).catch(() => Buffer.alloc(0));
    const wal = await readFile(join(h.dir, 'store.sqlite-wal')).catch(() => Buffer.alloc(0));
    const bytes = Buffer.concat([file, wal]).toString('latin1');
    expect(bytes).toContain('T_ALPHA');
    expect(bytes).not.toContain(ALPHA.botToken);
    expect(bytes).not.toContain('xoxb-beta-000');
    // The Web API clients for each workspace carry its own token.
    expect((await h.running.clientFor('T_ALPHA'))?.token).toBe(ALPHA.botToken);
    expect((await h.running.clientFor('T_BETA'))?.token).toBe('xoxb-beta-0003');
    expect(await h.running.clientFor('T_NOWHERE')).toBeNull();
    expect(h.logs.join('\n')).toContain('Installed in workspace T_ALPHA');
    expect(h.logs.join('\n')).not.toContain(ALPHA.botToken);
    expect(h.logs.join('\n')).not.toContain(TOKEN_KEY);
  });

  it('refuses a redirect without the install page’s state cookie', async () => {
    h = await startHarness({ env: DISTRIBUTED_ENV });
    h.fake.grantInstall(ALPHA);
    const start = await fetch(`${h.url}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const res = await fetch(`${h.url}/slack/oauth_redirect?code=${ALPHA.code}&state=${state}`, {
      redirect: 'manual',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(h.fake.callsOf('oauth.v2.access')).toHaveLength(0);
    expect(await h.running.clientFor('T_ALPHA')).toBeNull();
  });

  it('keeps each workspace to its own runs, settings, digest and sends, each with its own token', async () => {
    h = await startHarness({ env: DISTRIBUTED_ENV, now: () => new Date('2026-12-01T12:00:00Z') });
    await install(h, ALPHA);
    await install(h, BETA);
    const alphaKey = await newKey(h, 'T_ALPHA');
    const betaKey = await newKey(h, 'T_BETA');
    expect(alphaKey).not.toBe(betaKey);

    expect(
      (await h.ingest(runJson('alpha-run', '2026-11-20T09:00:00Z', 4, 1), { token: alphaKey })).status,
    ).toBe(201);
    expect(
      (await h.ingest(runJson('beta-run', '2026-11-21T09:00:00Z', 6, 3), { token: betaKey })).status,
    ).toBe(201);
    // No INGEST_TOKEN in this mode, and a bot token or a made-up key names no workspace.
    for (const token of [null, ALPHA.botToken, 'adk_made-up-key-000000000000000000']) {
      expect((await h.ingest(runJson('stray', '2026-11-21T09:00:00Z', 1, 0), { token })).status).toBe(401);
    }

    const alphaRuns = visibleText(await ask(h, 'T_ALPHA', 'runs'));
    const betaRuns = visibleText(await ask(h, 'T_BETA', 'runs'));
    expect(alphaRuns).toContain('alpha-run');
    expect(alphaRuns).not.toContain('beta-run');
    expect(betaRuns).toContain('beta-run');
    expect(betaRuns).not.toContain('alpha-run');

    await ask(h, 'T_ALPHA', 'settings timezone=Europe/Berlin');
    expect(visibleText(await ask(h, 'T_ALPHA', 'settings'))).toContain('Europe/Berlin');
    expect(visibleText(await ask(h, 'T_BETA', 'settings'))).not.toContain('Europe/Berlin');

    // Sends inside a request (post, export) and outside one (digest, alerts) carry the team's token.
    h.fake.calls.length = 0;
    await h.command('post all', { team: 'T_ALPHA', channel: 'C_ALPHA_GENERAL' });
    await h.command('post all', { team: 'T_BETA', channel: 'C_BETA_GENERAL' });
    const postedTo = (channel: string) =>
      h?.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    expect((await postedTo('C_ALPHA_GENERAL'))?.token).toBe(ALPHA.botToken);
    expect((await postedTo('C_BETA_GENERAL'))?.token).toBe(BETA.botToken);

    await ask(h, 'T_ALPHA', 'digest channel <#CALPHADIGEST>');
    await ask(h, 'T_BETA', 'digest channel <#CBETADIGEST>');
    await ask(h, 'T_ALPHA', 'digest now');
    await ask(h, 'T_BETA', 'digest now');
    const alphaDigest = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CALPHADIGEST',
    );
    const betaDigest = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CBETADIGEST',
    );
    expect(alphaDigest.token).toBe(ALPHA.botToken);
    expect(betaDigest.token).toBe(BETA.botToken);
    // A quiet week for both (the clock is a week on); each names its own last run, not the other's.
    expect(visibleText(alphaDigest.args)).toContain('Last run: 2026-11-20.');
    expect(visibleText(alphaDigest.args)).not.toContain('2026-11-21');
    expect(visibleText(betaDigest.args)).toContain('Last run: 2026-11-21.');
    expect(visibleText(betaDigest.args)).not.toContain('2026-11-20');

    await ask(h, 'T_BETA', 'alerts channel <#CBETAALERTS>');
    const welcome = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CBETAALERTS',
    );
    expect(welcome.token).toBe(BETA.botToken);

    await h.command('export csv all', { team: 'T_ALPHA', channel: 'C_ALPHA_GENERAL' });
    const upload = await h.fake.waitFor((c) => c.method === 'files.completeUploadExternal');
    expect(upload.token).toBe(ALPHA.botToken);
    expect(upload.args.channel_id).toBe('C_ALPHA_GENERAL');

    // Every call the app made went out with one of the two installed tokens, never without one.
    expect(tokensOf(h.fake.calls).every((t) => t === ALPHA.botToken || t === BETA.botToken)).toBe(true);
  });

  it('reads Apollo files the same way from every workspace: an ingest key names it, the form downloads with its token', async () => {
    h = await startHarness({ env: DISTRIBUTED_ENV });
    await install(h, ALPHA);
    await install(h, BETA);
    const alphaKey = await newKey(h, 'T_ALPHA');
    const bytes = fixtureBytes('people-export.csv');

    // The ingest API: the key names the workspace; the People export is read with its warnings.
    const api = await h.ingest(bytes, {
      token: alphaKey,
      contentType: 'text/csv',
      query: '?started_at=2026-11-23&run_id=alpha-people',
    });
    expect(api.status).toBe(201);
    expect(api.json.run.contact_rows).toBe(15);
    expect(api.json.warnings.map((w: { code: string }) => w.code)).toEqual([
      'people_export',
      'people_rows_disagree',
    ]);

    // The Slack form in the other workspace: the file is served only to Beta's bot token.
    const url = h.fake.serveFile('beta/people-export.csv', Buffer.from(bytes), { token: BETA.botToken });
    await h.interact(
      viewSubmissionPayload({
        team: 'T_BETA',
        callbackId: VIEWS.upload,
        privateMetadata: JSON.stringify({ channel_id: 'C_BETA_UPLOAD' }),
        values: {
          [BLOCKS.uploadFile]: {
            [ACTIONS.uploadFile]: {
              type: 'file_input',
              files: [{ id: 'F1', name: 'people-export.csv', size: bytes.length, url_private_download: url }],
            },
          },
          [BLOCKS.uploadDate]: { [ACTIONS.uploadDate]: { type: 'datepicker', selected_date: '2026-11-23' } },
          [BLOCKS.uploadRunId]: { [ACTIONS.uploadRunId]: { type: 'plain_text_input', value: 'beta-people' } },
        },
      }),
    );
    const told = await h.fake.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C_BETA_UPLOAD',
    );
    expect(told.token).toBe(BETA.botToken);
    expect(visibleText(told.args)).toContain('Run beta-people stored: 15 contact rows, 8 companies');

    const [alphaRun] = await h.store.listRuns('T_ALPHA');
    const [betaRun] = await h.store.listRuns('T_BETA');
    expect(alphaRun?.run_id).toBe('alpha-people');
    expect(betaRun?.run_id).toBe('beta-people');
    expect(betaRun?.headline).toEqual(alphaRun?.headline);
    expect(betaRun?.warnings).toEqual(alphaRun?.warnings);
    // No single workspace to learn in this mode: the only auth.test calls are the two installs'
    // (with their new tokens), and no start-up workspace is kept.
    expect(tokensOf(h.fake.callsOf('auth.test')).sort()).toEqual([ALPHA.botToken, BETA.botToken].sort());
    expect(await readBotTeam(h.store)).toBeNull();
  });

  it('lists and revokes ingest keys; a revoked key writes nothing, and a key never writes into another workspace', async () => {
    h = await startHarness({ env: DISTRIBUTED_ENV });
    await install(h, ALPHA);
    await install(h, BETA);
    const alphaKey = await newKey(h, 'T_ALPHA');
    const prefix = alphaKey.slice(0, 11);
    const list = visibleText(await ask(h, 'T_ALPHA', 'settings ingest-key list'));
    expect(list).toContain(prefix);
    expect(list).not.toContain(alphaKey);
    expect(visibleText(await ask(h, 'T_BETA', 'settings ingest-key list'))).toContain('No ingest keys');
    // Beta cannot revoke Alpha's key.
    expect(visibleText(await ask(h, 'T_BETA', `settings ingest-key revoke ${prefix}`))).toContain(
      'No ingest key of this workspace',
    );

    // Alpha's key lands in Alpha, whatever the body says about runs; Beta stays empty.
    expect(
      (await h.ingest(runJson('from-alpha', '2026-11-20T09:00:00Z', 2, 1), { token: alphaKey })).status,
    ).toBe(201);
    expect((await h.store.listRuns('T_ALPHA')).map((r) => r.run_id)).toEqual(['from-alpha']);
    expect(await h.store.listRuns('T_BETA')).toEqual([]);

    expect(visibleText(await ask(h, 'T_ALPHA', `settings ingest-key revoke ${prefix}`))).toContain('revoked');
    expect((await h.ingest(runJson('late', '2026-11-21T09:00:00Z', 2, 1), { token: alphaKey })).status).toBe(
      401,
    );
    expect((await h.store.listRuns('T_ALPHA')).map((r) => r.run_id)).toEqual(['from-alpha']);
    // The key itself is not in the database, only its hash.
    const bytes = Buffer.concat([
      await readFile(join(h.dir, 'store.sqlite')),
      await readFile(join(h.dir, 'store.sqlite-wal')).catch(() => Buffer.alloc(0)),
    ]).toString('latin1');
    expect(bytes).not.toContain(alphaKey);
  });

  it('lets only admins manage ingest keys', async () => {
    h = await startHarness({ env: { ...DISTRIBUTED_ENV, ADMIN_USER_IDS: 'U_ADMIN' } });
    await install(h, ALPHA);
    const { ack } = await h.command('settings ingest-key new', { team: 'T_ALPHA', user: 'U_SOMEONE' });
    expect(JSON.stringify(ack.json)).toContain('admin');
  });

  it('on app_uninstalled drops the tokens at once, stops the digest, and deletes the data after the retention period', async () => {
    let now = new Date('2026-11-25T12:00:00Z');
    h = await startHarness({ env: DISTRIBUTED_ENV, now: () => now });
    await install(h, ALPHA);
    await install(h, BETA);
    const alphaKey = await newKey(h, 'T_ALPHA');
    const betaKey = await newKey(h, 'T_BETA');
    await h.ingest(runJson('alpha-run', '2026-11-24T09:00:00Z', 4, 1), { token: alphaKey });
    await h.ingest(runJson('beta-run', '2026-11-24T09:00:00Z', 6, 3), { token: betaKey });
    for (const [team, channel] of [
      ['T_ALPHA', 'CALPHADIGEST'],
      ['T_BETA', 'CBETADIGEST'],
    ] as const) {
      await ask(h, team, `digest channel <#${channel}>`);
      await ask(h, team, 'digest schedule monday 09:00 UTC');
    }

    await sendEvent(h, 'T_ALPHA', { type: 'app_uninstalled', event_ts: '1764500000.000100' });
    await expect.poll(() => h?.running.clientFor('T_ALPHA')).toBeNull();
    expect((await h.running.clientFor('T_BETA'))?.token).toBe(BETA.botToken);
    // The sealed token is gone from the record; the data is still there.
    const record = await h.store.getDocument('T_ALPHA', 'slack-installation', z.any());
    expect(record.bot).toBeUndefined();
    expect(record.uninstalled_at).toBe(now.toISOString());
    expect((await h.store.listRuns('T_ALPHA')).map((r) => r.run_id)).toEqual(['alpha-run']);
    // Its ingest key is refused; Beta's still works.
    expect((await h.ingest(runJson('after', '2026-11-25T09:00:00Z', 1, 0), { token: alphaKey })).status).toBe(
      401,
    );
    expect((await h.ingest(runJson('beta-2', '2026-11-25T09:00:00Z', 1, 0), { token: betaKey })).status).toBe(
      201,
    );
    // A command from the uninstalled workspace runs no listener: nothing answers it.
    const before = h.fake.responses.length;
    const { ack } = await h.command('runs', { team: 'T_ALPHA' });
    expect(ack.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.responses.length).toBe(before);

    // The next scheduled digest (Monday 09:00 UTC), fired while the app was down and caught up at
    // start-up: Beta's is posted with Beta's token, Alpha's is not.
    await h.running.stop();
    now = new Date('2026-11-30T12:00:00Z');
    h.fake.calls.length = 0;
    await h.restart();
    const betaLate = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CBETADIGEST',
    );
    expect(betaLate.token).toBe(BETA.botToken);
    expect(h.fake.calls.filter((c) => c.args.channel === 'CALPHADIGEST')).toEqual([]);
    expect(tokensOf(h.fake.calls)).toEqual([BETA.botToken]);
    // Fired by the schedule itself: inactive, nothing claimed or sent.
    const fired = await sendScheduledDigest(
      {
        deps: h.running.deps,
        slack: async (team: string) => {
          const client = await h?.running.clientFor(team);
          return client ? createSlackDelivery(client) : null;
        },
        incidents: async () => null,
      },
      'T_ALPHA',
      { at: new Date('2026-11-30T09:00:00Z'), local: '2026-11-30 09:00' },
      { late: false },
    );
    expect(fired).toBe('inactive');
    expect(h.fake.calls.filter((c) => c.args.channel === 'CALPHADIGEST')).toEqual([]);

    // Retention: 30 days from the uninstall. One day short keeps everything.
    now = new Date(Date.parse('2026-11-25T12:00:00Z') + 29 * DAY_MS);
    expect(await h.running.purgeUninstalled()).toEqual([]);
    expect((await h.store.listRuns('T_ALPHA')).map((r) => r.run_id)).toEqual(['alpha-run']);
    now = new Date(Date.parse('2026-11-25T12:00:00Z') + 30 * DAY_MS);
    expect(await h.running.purgeUninstalled()).toEqual(['T_ALPHA']);
    expect(await h.store.listRuns('T_ALPHA')).toEqual([]);
    expect(await h.store.getSettings('T_ALPHA')).toEqual({});
    expect(await h.store.getDocument('T_ALPHA', 'slack-installation', z.any())).toBeUndefined();
    expect((await h.store.listRuns('T_BETA')).map((r) => r.run_id).sort()).toEqual(['beta-2', 'beta-run']);
  });

  it('on tokens_revoked for the bot drops that workspace’s token; user-token revocations keep the bot', async () => {
    h = await startHarness({ env: DISTRIBUTED_ENV });
    await install(h, ALPHA);
    await install(h, BETA);
    await sendEvent(h, 'T_BETA', { type: 'tokens_revoked', tokens: { oauth: ['U_ADMIN'] } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await h.running.clientFor('T_BETA'))?.token).toBe(BETA.botToken);
    await sendEvent(h, 'T_BETA', { type: 'tokens_revoked', tokens: { bot: [BETA.botUserId] } });
    await expect.poll(() => h?.running.clientFor('T_BETA')).toBeNull();
    expect((await h.running.clientFor('T_ALPHA'))?.token).toBe(ALPHA.botToken);
    // Installing again brings the workspace back, with the new token.
    await install(h, { ...BETA, code: 'code-beta-again', botToken: 'xoxb-beta-0009' });
    expect((await h.running.clientFor('T_BETA'))?.token).toBe('xoxb-beta-0009');
  });

  it('deletes a workspace’s data at once on request, after a confirmation, and keeps the installation', async () => {
    h = await startHarness({ env: DISTRIBUTED_ENV });
    await install(h, ALPHA);
    await install(h, BETA);
    const alphaKey = await newKey(h, 'T_ALPHA');
    await h.ingest(runJson('alpha-run', '2026-11-24T09:00:00Z', 4, 1), { token: alphaKey });
    await ask(h, 'T_ALPHA', 'settings timezone=Europe/Berlin');
    const warning = visibleText(await ask(h, 'T_ALPHA', 'settings delete-data'));
    expect(warning).toContain('settings delete-data confirm');
    expect((await h.store.listRuns('T_ALPHA')).map((r) => r.run_id)).toEqual(['alpha-run']);
    expect(visibleText(await ask(h, 'T_ALPHA', 'settings delete-data confirm'))).toContain('was deleted');
    expect(await h.store.listRuns('T_ALPHA')).toEqual([]);
    expect(await h.store.getSettings('T_ALPHA')).toEqual({});
    // Still installed, and the key still writes into Alpha.
    expect((await h.running.clientFor('T_ALPHA'))?.token).toBe(ALPHA.botToken);
    expect((await h.ingest(runJson('fresh', '2026-11-25T09:00:00Z', 1, 0), { token: alphaKey })).status).toBe(
      201,
    );
  });

  it('installs org-wide on Enterprise Grid: every team of the org is served, its data kept per team', async () => {
    let now = new Date('2026-11-25T12:00:00Z');
    h = await startHarness({ env: DISTRIBUTED_ENV, now: () => now });
    const org: FakeGrant = {
      code: 'code-org',
      enterpriseId: 'E_ORG',
      isEnterpriseInstall: true,
      botToken: 'xoxb-org-0005',
      botUserId: 'U_BOT_ORG',
      installerId: 'U_ADMIN',
    };
    expect((await install(h, org)).status).toBe(200);
    const asTeam = (team: string, text: string, channel?: string) =>
      h?.command(text, { team, enterprise: 'E_ORG', orgInstall: true, ...(channel ? { channel } : {}) });
    const oneKey = /`(adk_[A-Za-z0-9_-]+)`/.exec(
      visibleText(await (await asTeam('T_ONE', 'settings ingest-key new'))?.reply()),
    )?.[1];
    expect(oneKey).toBeDefined();
    await h.ingest(runJson('one-run', '2026-11-24T09:00:00Z', 3, 1), { token: oneKey ?? null });
    expect(visibleText(await (await asTeam('T_ONE', 'runs'))?.reply())).toContain('one-run');
    expect(visibleText(await (await asTeam('T_TWO', 'runs'))?.reply())).toContain('No runs yet');
    // Scheduled work for a team of the org finds the org's token.
    await (await asTeam('T_ONE', 'digest channel <#CONEDIGEST>'))?.reply();
    await (await asTeam('T_ONE', 'digest now'))?.reply();
    const digest = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CONEDIGEST',
    );
    expect(digest.token).toBe(org.botToken);
    expect((await h.running.clientFor('T_ONE'))?.token).toBe(org.botToken);
    // Uninstalling the org drops the token for every team; after the retention period the data of
    // every team of the org goes (the org's record is read for each before any is deleted).
    await sendEvent(h, 'T_ONE', { type: 'app_uninstalled' }, { enterprise: 'E_ORG' });
    await expect.poll(() => h?.running.clientFor('T_ONE')).toBeNull();
    now = new Date(now.getTime() + 31 * DAY_MS);
    // Both teams used the org's install (each sent a command), so both are the org's.
    expect((await h.running.purgeUninstalled()).sort()).toEqual(['E_ORG', 'T_ONE', 'T_TWO']);
    expect(await h.store.listRuns('T_ONE')).toEqual([]);
  });
});

/** Two app instances on one store: the embedded SQLite file, and PostgreSQL (the replicas' store). */
const replicaStores: Array<{ title: string; skip: boolean; env: () => Promise<Record<string, string>> }> = [
  { title: 'on SQLite', skip: false, env: async () => ({}) },
  {
    title: postgresTitle('on PostgreSQL'),
    skip: skipPostgres,
    env: async () => {
      const { schema, url } = await createSchema();
      schemas.push(schema);
      return { STORE_URL: url };
    },
  },
];
for (const target of replicaStores) {
  describe.skipIf(target.skip)(`replicas ${target.title}`, () => {
    const storeEnv = target.env;
    it('uses an install finished on one replica on another at once', async () => {
      h = await startHarness({ env: { ...DISTRIBUTED_ENV, ...(await storeEnv()) } });
      const config = h.running.deps.config;
      const store = await openStore({ url: config.storeUrl });
      const logs: string[] = [];
      const running = createApp({
        config,
        store,
        logger: createLogger({ level: 'info', secrets: [], write: (l) => logs.push(l) }),
      });
      extra.push({ running, store });
      const { port } = await running.start();
      const other = `http://127.0.0.1:${port}`;
      // The replica serves the install page; the first instance finishes the flow (same state secret).
      expect((await install(h, ALPHA, { start: other, finish: h.url })).status).toBe(200);
      expect((await running.clientFor('T_ALPHA'))?.token).toBe(ALPHA.botToken);
      // Installed through the first instance, used by the replica for its very next request.
      await install(h, BETA);
      expect((await running.clientFor('T_BETA'))?.token).toBe(BETA.botToken);
      const res = await postSigned(
        `${other}/slack/events`,
        new URLSearchParams({
          team_id: 'T_BETA',
          user_id: 'U_ADMIN',
          channel_id: 'C_BETA_GENERAL',
          command: '/apollo-dashboard',
          text: 'post all',
          api_app_id: 'A_APOLLO',
          is_enterprise_install: 'false',
          response_url: h.fake.responseUrl('replica'),
          trigger_id: 'trigger-replica',
        }).toString(),
        { secret: SIGNING_SECRET },
      );
      expect(res.status).toBe(200);
      const post = await h.fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.args.channel === 'C_BETA_GENERAL',
      );
      expect(post.token).toBe(BETA.botToken);
    });
  });
}
