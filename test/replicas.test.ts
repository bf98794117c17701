/**
 * Replicas agree (three app processes on one PostgreSQL database, each its own OS process, one
 * fake Slack): every scheduled digest is posted once, also after a schedule change made on one of
 * them; two breaching runs ingested on two processes at once open one incident message; a restart
 * re-sends nothing. Runs when TEST_DATABASE_URL is set (`.ci/run` sets it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_DOC, digestStateSchema } from '../src/features/digest/state.js';
import { openStore } from '../src/store/open-store.js';
import { ensureBuilt } from './cli/ensure-built.js';
import { BOT_TOKEN, INGEST_TOKEN, SIGNING_SECRET, TEAM } from './helpers/app-harness.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.js';
import { createSchema, dropSchema, postgresTitle, skipPostgres } from './helpers/postgres.js';
import { postSigned, slashCommandBody } from './helpers/signed-request.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A run with 60 calls, 40 of them taking `searchSeconds`: 3 s averages 2.33 s, over the 2 s alert threshold. */
function runBody(id: string, startedAt: number, searchSeconds: number): string {
  const api_calls = Array.from({ length: 60 }, (_, i) => ({
    timestamp: new Date(startedAt + i * 1000).toISOString(),
    endpoint: i < 40 ? '/mixed_companies/search' : '/organizations/enrich',
    response_time: i < 40 ? searchSeconds : 1,
    status_code: 200,
    credits_used: 1,
  }));
  return JSON.stringify({
    run_id: id,
    started_at: new Date(startedAt).toISOString(),
    companies: [],
    api_calls,
  });
}

/** The marker of each post in a channel that carries one (alerts and scheduled digests do). */
function markers(fake: FakeSlack, channel: string): string[] {
  return fake
    .messagesIn(channel)
    .map((m) => (m.metadata as { event_payload?: { marker?: string } } | undefined)?.event_payload?.marker)
    .filter((m): m is string => typeof m === 'string');
}

describe.skipIf(skipPostgres)(postgresTitle('three app processes on one PostgreSQL database'), () => {
  let schema: string;
  let url: string;
  let dir: string;
  let fake: FakeSlack;
  const apps: AppProcess[] = [];

  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(async () => {
    ({ schema, url } = await createSchema());
    dir = await mkdtemp(join(tmpdir(), 'apollo-replicas-'));
    fake = await startFakeSlack({ teamId: TEAM });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await fake.close();
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    STORE_URL: url,
    INGEST_TOKEN,
  });
  const startAll = async () => {
    apps.push(...(await Promise.all([0, 1, 2].map(() => startAppProcess(env(), dir)))));
  };
  const command = (app: AppProcess, text: string) =>
    postSigned(
      `${app.url}/slack/events`,
      slashCommandBody({
        text,
        teamId: TEAM,
        userId: 'U_ADMIN',
        channelId: 'C_GENERAL',
        responseUrl: fake.responseUrl(),
        triggerId: 't',
      }),
      { secret: SIGNING_SECRET },
    );

  it('posts each scheduled digest once, also after a schedule change made on one replica', async () => {
    // A schedule at one second of every minute, stored before the replicas start.
    const first = new Date(Date.now() + 20_000).getUTCSeconds();
    const store = await openStore({ url });
    await store.updateDocument(TEAM, DIGEST_DOC, digestStateSchema, () => ({
      value: {
        enabled: true,
        channel: 'C0DIGEST',
        schedule: { kind: 'cron' as const, expression: `${first} * * * * *` },
        timezone: 'UTC',
        skip_empty: false,
        schedule_since: new Date().toISOString(),
        history: [],
      },
      result: undefined,
    }));
    await store.close();
    await startAll();
    const upAt = Date.now();
    // Wait for an occurrence every replica was up for.
    const firstDue = new Date(upAt + 1_000);
    firstDue.setUTCMilliseconds(0);
    while (firstDue.getUTCSeconds() !== first) firstDue.setTime(firstDue.getTime() + 1_000);
    await sleep(firstDue.getTime() - Date.now() + 4_000);
    const before = markers(fake, 'C0DIGEST');
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(new Set(before).size).toBe(before.length);
    expect(before.at(-1)).toMatch(new RegExp(`:${String(first).padStart(2, '0')}$`));

    // The change is made on one replica; the others follow within their 30 s refresh.
    const second = new Date(Date.now() + 45_000).getUTCSeconds();
    const changedAt = Date.now();
    expect(
      (await command(apps[1] as AppProcess, `digest schedule cron "${second} * * * * *" UTC`)).status,
    ).toBe(200);
    await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.at > changedAt && c.args.channel === 'C0DIGEST',
      70_000,
    );
    await sleep(4_000);
    const after = markers(fake, 'C0DIGEST');
    expect(new Set(after).size).toBe(after.length);
    const since = fake.calls.filter((c) => c.method === 'chat.postMessage' && c.at > changedAt + 1_000);
    expect(since).toHaveLength(1);
    expect(after.at(-1)).toMatch(new RegExp(`:${String(second).padStart(2, '0')}$`));
    expect(after).toHaveLength(before.length + 1);
  }, 180_000);

  it('opens one incident message when two replicas ingest breaching runs at once, and a restart re-sends nothing', async () => {
    await startAll();
    const [a, b] = apps as [AppProcess, AppProcess, AppProcess];
    expect((await command(a, 'alerts channel <#C0ALERTS|alerts>')).status).toBe(200);
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0ALERTS');
    const t = Date.now() - 3_600_000;
    const ingest = (app: AppProcess, body: string) =>
      fetch(`${app.url}/api/runs`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${INGEST_TOKEN}`, 'Content-Type': 'application/json' },
        body,
      });
    const answers = await Promise.all([
      ingest(a, runBody('run-a', t, 3)),
      ingest(b, runBody('run-b', t + 60_000, 3.2)),
    ]);
    expect(answers.map((r) => r.status)).toEqual([201, 201]);
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.metadata !== undefined, 10_000);
    await sleep(3_000);
    expect(markers(fake, 'C0ALERTS')).toHaveLength(1);

    const before = fake.calls.length;
    await apps[0]?.stop();
    apps[0] = await startAppProcess(env(), dir);
    await sleep(3_000);
    expect(fake.calls.slice(before).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  }, 120_000);
});
