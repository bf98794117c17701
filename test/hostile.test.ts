// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads and responses are arbitrary JSON in tests
/**
 * Bad or huge input never takes the service down: the app as Slack and a pipeline use it (real Bolt
 * receiver, real SQLite file, fake Slack Web API), attacked as a hostile or buggy pipeline would.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_DOC } from '../src/features/alerts/rules.js';
import { alertStateSchema } from '../src/features/alerts/state.js';
import { ACTIONS } from '../src/ids.js';
import { buildRunRecord } from '../src/services/ingest.js';
import {
  blockActionPayload,
  type Harness,
  SIGNING_SECRET,
  startHarness,
  TEAM,
  visibleText,
} from './helpers/app-harness.js';
import { companies, makeRun } from './helpers/factories.js';
import { postSigned, slashCommandBody } from './helpers/signed-request.js';
import { sql as rawSql } from './helpers/sqlite-file.js';

const sql = async <T = Record<string, unknown>>(file: string, text: string, ...params: unknown[]) =>
  rawSql<T>(file, text, ...params);

const iso = (ms: number) => new Date(ms).toISOString();

/** What `find` finds, once it finds it (polled every 50 ms). */
async function poll<T>(find: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`nothing found within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const DAY = 86_400_000;

/** A run of `companies` companies and 20 calls, `failed` of them answered 500. */
function runJson(id: string, startedAt: string, o: { failed?: number; credits?: number } = {}): string {
  const start = Date.parse(startedAt);
  return JSON.stringify({
    run_id: id,
    started_at: startedAt,
    companies: [{ name: 'Acme', industry: 'Software', icp_score: 90, tier: 'Tier 1' }],
    api_calls: Array.from({ length: 20 }, (_, i) => ({
      timestamp: iso(start + i * 1000),
      endpoint: '/mixed_companies/search',
      response_time: 0.5,
      status_code: i < (o.failed ?? 0) ? 500 : 200,
      credits_used: o.credits ?? 1,
    })),
  });
}

async function health(h: Harness): Promise<any> {
  const res = await fetch(`${h.url}/healthz`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('absurd numbers and damaged records never take the workspace down', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('refuses a run with credits_used 1e308 on two calls, and the workspace stays usable', async () => {
    const ok = await h.ingest(runJson('good', iso(Date.now() - DAY)));
    expect(ok.status).toBe(201);
    const body = runJson('bad', iso(Date.now() - DAY)).replaceAll(
      '"credits_used":1}',
      '"credits_used":1e308}',
    );
    const res = await h.ingest(body);
    expect(res.status).toBe(400);
    expect(res.json.problems[0]).toEqual({
      where: 'api_calls[0]',
      field: 'credits_used',
      message: 'expected a number from 0 to 1,000,000, got 1e+308',
    });
    expect((await h.store.listRuns(TEAM)).map((r) => r.run_id)).toEqual(['good']);
    const runs = await h.command('runs');
    expect(visibleText(await runs.reply())).toContain('good');
    const dashboard = visibleText(await (await h.command('')).reply());
    expect(dashboard).toContain('Tier 1 accounts');
    expect(dashboard).not.toContain('damaged');
    expect(await health(h)).toMatchObject({
      status: 'ok',
      store: 'ok',
      workspaces: 'ok',
      damaged_records: 0,
    });
  });

  it('names a damaged index entry in runs, the dashboard and /healthz, and deletes it from Slack', async () => {
    expect((await h.ingest(runJson('broken', iso(Date.now() - 2 * DAY)))).status).toBe(201);
    // What the issue found stored: a total that overflowed to Infinity, written by JSON as null.
    const file = join(h.dir, 'store.sqlite');
    const [row] = await sql<{ key: string; value: string }>(
      file,
      "SELECT key, value FROM keyv WHERE key LIKE '%:t:T_TEST:runs'",
    );
    if (!row) throw new Error('no index row');
    const stored = JSON.parse(row.value);
    const entry = stored.value.find((e: any) => e.run_id === 'broken');
    entry.headline.credits = null;
    await sql(file, 'UPDATE keyv SET value = ? WHERE key = ?', JSON.stringify(stored), row.key);

    const runs = visibleText(await (await h.command('runs')).reply());
    expect(runs).toContain('good');
    expect(runs).toContain('Damaged and left out: `broken` (index entry)');
    const dashboard = visibleText(await (await h.command('')).reply());
    expect(dashboard).toContain('Damaged and left out: `broken` (index entry)');
    expect(await health(h)).toMatchObject({
      status: 'ok',
      store: 'ok',
      workspaces: 'ok',
      damaged_records: 1,
    });
    // Uploads still work.
    expect((await h.ingest(runJson('later', iso(Date.now() - DAY / 2)))).status).toBe(201);

    const confirm = await (await h.command('runs delete broken')).reply();
    expect(visibleText(confirm)).toContain('is damaged');
    const click = await h.interact(
      blockActionPayload({
        actionId: ACTIONS.runDeleteConfirm,
        value: 'broken',
        responseUrl: h.fake.responseUrl('del-1'),
      }),
    );
    expect(click.status).toBe(200);
    const done = await h.fake.waitForResponse((r) => r.id === 'del-1', 5000);
    expect(visibleText(done.body)).toContain('broken');
    expect(await health(h)).toMatchObject({
      status: 'ok',
      store: 'ok',
      workspaces: 'ok',
      damaged_records: 0,
    });
    expect((await h.store.listRuns(TEAM)).map((r) => r.run_id)).toEqual(['later', 'good']);
    expect(await sql(file, "SELECT key FROM keyv WHERE key LIKE '%:broken:%'")).toEqual([]);
  });

  it('refuses a run dated 2099, naming started_at', async () => {
    const res = await h.ingest(runJson('typo', '2099-11-02T09:00:00Z'));
    expect(res.status).toBe(400);
    expect(res.json.problems).toEqual([
      {
        where: '',
        field: 'started_at',
        message: 'expected a time no more than a day in the future, got 2099-11-02T09:00:00.000Z',
      },
    ]);
  });

  it('cuts a 100,000-character command in its answer', async () => {
    const { ack } = await h.command(`zz${'x'.repeat(100_000)}`);
    expect(ack.status).toBe(200);
    expect(ack.text.length).toBeLessThan(8_000);
    expect(ack.text).toContain('…');
  });
});

describe('a damaged settings record', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: 'U_ADMIN' } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('reads as the defaults, is named and counted, refuses changes until an admin resets it from Slack', async () => {
    expect((await h.ingest(runJson('good', iso(Date.now() - DAY)))).status).toBe(201);
    expect((await (await h.command('settings rate_limit=250')).reply()).text).toContain('rate_limit=250');
    const file = join(h.dir, 'store.sqlite');
    const [row] = await sql<{ key: string }>(
      file,
      "SELECT key FROM keyv WHERE key LIKE '%:t:T_TEST:settings'",
    );
    if (!row) throw new Error('no settings row');
    // A value stored without who set it (a hand edit, or an older version's shape).
    const broken = JSON.stringify({ value: { rate_limit: 250 } });
    await sql(file, 'UPDATE keyv SET value = ? WHERE key = ?', broken, row.key);

    const dashboard = visibleText(await (await h.command('')).reply());
    expect(dashboard).toContain('Tier 1 accounts');
    expect(dashboard).toContain(
      'Damaged and left out: the workspace settings (the defaults are used meanwhile). Remove with `/apollo-dashboard settings reset` (admins).',
    );
    const runs = visibleText(await (await h.command('runs')).reply());
    expect(runs).toContain('good');
    expect(runs).toContain('the workspace settings');
    // The defaults (rate_limit 100), not the damaged 250, and why.
    const shown = await (await h.command('settings')).reply();
    expect(shown.text).toContain('rate_limit=100');
    expect(visibleText(shown)).toContain('Damaged and left out: the workspace settings');
    expect(await health(h)).toMatchObject({ status: 'ok', workspaces: 'ok', damaged_records: 1 });

    // A change is refused, pointing at the reset, and the damaged value stays for a hand recovery.
    const refused = visibleText(await (await h.command('settings rate_limit=300')).reply());
    expect(refused).toContain('settings record is damaged');
    expect(refused).toContain('/apollo-dashboard settings reset');
    const denied = await h.command('settings reset', { user: 'U_MEMBER' });
    expect(visibleText(denied.ack.json)).toContain('Only the app admins');
    expect(await sql(file, 'SELECT value FROM keyv WHERE key = ?', row.key)).toEqual([{ value: broken }]);

    const reset = visibleText(await (await h.command('settings reset')).reply());
    expect(reset).toContain('Removed the damaged settings record');
    expect(await sql(file, 'SELECT value FROM keyv WHERE key = ?', row.key)).toEqual([]);
    expect(await health(h)).toMatchObject({ status: 'ok', damaged_records: 0 });
    expect(visibleText(await (await h.command('')).reply())).not.toContain('Damaged');
    // A second reset finds nothing damaged and removes nothing.
    const again = visibleText(await (await h.command('settings reset')).reply());
    expect(again).toContain('not damaged, so nothing was removed');

    expect((await (await h.command('settings rate_limit=300')).reply()).text).toContain('rate_limit=300');
    expect((await h.store.getSettings(TEAM)).rate_limit?.value).toBe(300);
  });
});

describe('the signature window holds both ways', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  const send = (timestamp: number) =>
    postSigned(
      `${h.url}/slack/events`,
      slashCommandBody({ text: 'help', teamId: TEAM, responseUrl: h.fake.responseUrl('sig') }),
      {
        secret: SIGNING_SECRET,
        timestamp,
      },
    );
  const nowSec = () => Math.floor(Date.now() / 1000);

  it('accepts a request signed now and refuses one more than five minutes ahead, like one five minutes old', async () => {
    expect((await send(nowSec())).status).toBe(200);
    expect((await send(nowSec() + 240)).status).toBe(200);
    expect((await send(nowSec() - 301)).status).toBe(401);
    expect((await send(nowSec() + 301)).status).toBe(401);
    expect((await send(nowSec() + 86_400)).status).toBe(401);
    expect((await send(nowSec() + 10 * 365 * 86_400)).status).toBe(401);
    expect((await send(nowSec() + 0.5)).status).toBe(401);
  });
});

describe('one odd run never silences alerts', () => {
  let h: Harness;
  let now = new Date('2026-11-20T12:00:00Z');
  beforeAll(async () => {
    h = await startHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.stop();
  });
  const state = () => h.store.getDocument(TEAM, ALERTS_DOC, alertStateSchema);

  it('judges later runs again once an outlier is deleted', async () => {
    // A run dated the 20th (a typo for the 2nd) is evaluated first and becomes the latest evaluated run.
    expect((await h.ingest(runJson('outlier', '2026-11-20T09:00:00Z'))).status).toBe(201);
    expect((await state())?.last_run?.run_id).toBe('outlier');
    now = new Date('2026-11-21T12:00:00Z');
    // A real run from the 10th at 50 % API success is older than it: a backfill, not judged.
    expect((await h.ingest(runJson('real-1', '2026-11-10T09:00:00Z', { failed: 10 }))).status).toBe(201);
    expect((await state())?.rules.success_rate?.incident).toBeUndefined();
    expect((await state())?.last_skipped?.run_id).toBe('real-1');

    const click = await h.interact(
      blockActionPayload({
        actionId: ACTIONS.runDeleteConfirm,
        value: 'outlier',
        responseUrl: h.fake.responseUrl('del-o'),
      }),
    );
    expect(click.status).toBe(200);
    await h.fake.waitForResponse((r) => r.id === 'del-o', 5000);
    // The newest remaining run takes the outlier's place.
    expect((await state())?.last_run?.run_id).toBe('real-1');

    expect((await h.ingest(runJson('real-2', '2026-11-11T09:00:00Z', { failed: 10 }))).status).toBe(201);
    const after = await state();
    expect(after?.last_run?.run_id).toBe('real-2');
    expect(after?.rules.success_rate?.incident?.latest_value).toBe(0.5);
  });

  it('does not let a run stored in the future (before such runs were refused) block the runs after it', async () => {
    // Stored while the clock read 2099 (the only way such a run gets in now).
    now = new Date('2099-11-03T00:00:00Z');
    expect((await h.ingest(runJson('future', '2099-11-02T09:00:00Z'))).status).toBe(201);
    expect((await state())?.last_run?.run_id).toBe('future');
    now = new Date('2026-11-22T12:00:00Z');
    expect((await h.ingest(runJson('real-3', '2026-11-22T09:00:00Z', { failed: 10 }))).status).toBe(201);
    expect((await state())?.last_run?.run_id).toBe('real-3');
  });
});

describe('floods are refused quickly and briefly while acks keep flowing', () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  /** Sends `help` over and over until `stop()`; returns the slowest ack in ms. */
  function ackLoop(target: Harness): { stop: () => Promise<number> } {
    let running = true;
    let slowest = 0;
    const loop = (async () => {
      while (running) {
        const started = performance.now();
        const { ack } = await target.command('help');
        expect(ack.status).toBe(200);
        slowest = Math.max(slowest, performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return slowest;
      },
    };
  }

  const STARTED = iso(Date.now() - DAY);
  const floods: Array<[string, string]> = [
    [
      'a million empty API calls',
      `{"started_at":"${STARTED}","companies":[],"api_calls":[${Array(1_000_000).fill('{}').join(',')}]}`,
    ],
    [
      'a million quality scores that are strings',
      `{"started_at":"${STARTED}","companies":[],"quality_scores":[${Array(1_000_000).fill('"x"').join(',')}]}`,
    ],
    [
      '100,000 companies without a name',
      `{"started_at":"${STARTED}","companies":[${Array(100_000).fill('{}').join(',')}]}`,
    ],
    ['a 15 MB label', `{"started_at":"${STARTED}","label":"${'L'.repeat(15_000_000)}","companies":[]}`],
  ];

  it('refuses each flood with a small body while a slash-command ack loop stays responsive', async () => {
    h = await startHarness();
    const acks = ackLoop(h);
    for (const [what, body] of floods) {
      const started = performance.now();
      const res = await fetch(`${h.url}/api/runs`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: 'Bearer ingest-token-0123456789abcdef',
        },
        body,
      });
      const text = await res.text();
      const took = performance.now() - started;
      expect(res.status, what).toBe(400);
      expect(text.length, what).toBeLessThan(16_384);
      // Generous for a shared machine; the bench holds the tight budget.
      expect(took, what).toBeLessThan(30_000);
    }
    const slowest = await acks.stop();
    expect(slowest).toBeLessThan(1_500);
    expect((await h.command('runs')).ack.status).toBe(200);
  });

  it('builds a 300,000-row companies export and a digest in the heavy lane while acks stay responsive', async () => {
    h = await startHarness();
    // Three runs of 100,000 companies each, stored directly (the export's reading is what is tested).
    for (let r = 0; r < 3; r++) {
      const run = makeRun({
        run_id: `wide-${r}`,
        started_at: iso(Date.now() - (r + 1) * 3_600_000),
        companies: companies(100_000, (i) => ({
          name: `Company ${r}-${i}`,
          industry: `Industry ${i}`,
          icp_score: i % 101,
        })),
      });
      await h.store.saveRun(TEAM, buildRunRecord(run, { source: 'api', now: new Date() }));
    }
    const acks = ackLoop(h);
    const exported = await h.command('export companies 7d');
    expect(exported.ack.status).toBe(200);
    const upload = await poll(() => h.fake.uploads.find((u) => u.filename?.includes('companies')), 120_000);
    const digest = await h.command('digest preview');
    const preview = await digest.reply(120_000);
    const slowest = await acks.stop();
    // 300,000 rows and the header; each run's best companies (score 100) lead.
    const lines = upload.bytes.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(300_001);
    expect(lines[1]).toMatch(/^wide-\d,Company \d-100,/);
    expect(digest.ack.status).toBe(200);
    expect(visibleText(preview)).toContain('300,000');
    // Both were built in the worker thread, not on the event loop that answers acks.
    expect(h.logs.some((l) => /Built an export in the heavy lane/.test(l))).toBe(true);
    expect(h.logs.some((l) => /Built a digest in the heavy lane/.test(l))).toBe(true);
    // Generous for a shared machine; the bench holds the tight budget.
    expect(slowest).toBeLessThan(1_500);
  }, 240_000);

  it('answers 503 with Retry-After when the upload lane is full', async () => {
    h = await startHarness({ uploadLane: { size: 1, maxQueue: 0, maxQueuedBytes: 0, maxHeavyQueue: 20 } });
    const companies = Array.from({ length: 40_000 }, (_, i) => ({
      name: `Company ${i}`,
      industry: `I${i % 50}`,
      icp_score: i % 100,
    }));
    const body = (i: number) => JSON.stringify({ run_id: `big-${i}`, started_at: STARTED, companies });
    const answers = await Promise.all(
      [0, 1, 2].map((i) =>
        fetch(`${h.url}/api/runs`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: 'Bearer ingest-token-0123456789abcdef',
          },
          body: body(i),
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0]).toBe(201);
    const busy = answers.find((a) => a.status === 503);
    expect(busy?.headers.get('retry-after')).toBe('30');
    expect(await busy?.json()).toEqual({
      error: 'busy',
      message: 'The service is busy with other uploads; try again in a minute. Nothing was stored.',
    });
  });
});
