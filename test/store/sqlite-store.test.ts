/**
 * The SQLite store against real files: the store contract, failures that must surface as
 * `store_unavailable` (never as an empty list), files written by the keyv-based store, and the
 * one-app-process rule (a second app process on the same file refuses to start).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Run } from '../../src/domain/model.js';
import { buildRunRecord } from '../../src/services/ingest.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { ensureBuilt, ROOT } from '../cli/ensure-built.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { sql as rawSql } from '../helpers/sqlite-file.js';
import { makeRun, record, rejection, storeContract } from './contract.js';

const sql = async <T = Record<string, unknown>>(file: string, text: string, ...params: unknown[]) =>
  rawSql<T>(file, text, ...params);

async function rawKeys(file: string, like: string): Promise<string[]> {
  const rows = await sql<{ key: string }>(file, 'SELECT key FROM keyv WHERE key LIKE ? ORDER BY key', like);
  return rows.map((r) => r.key);
}

let dir: string;
let file: string;
let url: string;
const open: Store[] = [];

async function openStore(at = url): Promise<Store> {
  const store = await createSqliteStore({ url: at });
  open.push(store);
  return store;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apollo-store-'));
  file = join(dir, 'store.sqlite');
  url = `sqlite://${file}`;
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('SQLite store contract', () => {
  storeContract({
    kind: 'sqlite',
    open: () => openStore(),
    rawKeys: (like) => rawKeys(file, like),
    rawCopy: async (from, to) => {
      await sql(file, 'INSERT INTO keyv(key, value) SELECT ?, value FROM keyv WHERE key = ?', to, from);
    },
    rawWrite: async (key, json) => {
      await sql(file, 'UPDATE keyv SET value = ? WHERE key = ?', `{"value":${json}}`, key);
    },
  });
});

describe('SQLite store files', () => {
  it('creates the directory of STORE_URL when missing', async () => {
    const nested = join(dir, 'not', 'yet', 'there');
    expect(existsSync(nested)).toBe(false);
    const store = await openStore(`sqlite://${join(nested, 'apollo.sqlite')}`);
    await store.ping();
    await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 1)));
    expect(existsSync(join(nested, 'apollo.sqlite'))).toBe(true);
  });

  it('rejects a STORE_URL that is not sqlite://', async () => {
    const error = await rejection(() => createSqliteStore({ url: `redis://${file}` }));
    expect(error.code).toBe('config_invalid');
  });

  it('runs on SQLite 3.51.3 or newer (3.44.2 had a WAL corruption bug)', async () => {
    await openStore();
    const [row] = await sql<{ v: string }>(file, 'SELECT sqlite_version() AS v');
    const [major = 0, minor = 0, patch = 0] = (row?.v ?? '').split('.').map(Number);
    expect(major * 1_000_000 + minor * 1_000 + patch).toBeGreaterThanOrEqual(3_051_003);
  });

  it('reads a file written by the keyv + @keyv/sqlite store, and keeps its layout', async () => {
    // test/fixtures/store-v1.sqlite was written by the previous store from store-v1.run.json:
    // saveRun('T1', …) uploaded by U123 at 2026-11-24T12:00Z, a timezone setting, a document and a claim.
    await copyFile(join(ROOT, 'test/fixtures/store-v1.sqlite'), file);
    const run = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/store-v1.run.json'), 'utf8')) as Run;
    const expected = buildRunRecord(run, {
      source: 'slack',
      now: new Date('2026-11-24T12:00:00Z'),
      uploadedBy: 'U123',
    });
    const store = await openStore();
    expect(await store.listRuns('T1')).toEqual([expected.meta]);
    expect(await store.getAggregates('T1', [run.run_id])).toEqual([expected.aggregate]);
    expect(await store.getCompanies('T1', run.run_id)).toEqual(run.companies);
    expect(await store.getSettings('T1')).toEqual({
      timezone: { value: 'Europe/Berlin', set_by: 'U1', set_at: '2026-11-20T10:00:00.000Z' },
    });
    expect(await store.getDocument('T1', 'notes', z.object({ n: z.number() }))).toEqual({ n: 7 });
    expect(await store.listWorkspaces()).toEqual(['T1']);
    // The claim made then still holds within its limit.
    const claimedAt = new Date('2026-11-23T09:00:00Z');
    const within = new Date(claimedAt.getTime() + 30_000);
    expect(await store.claim('T1', 'digest:2026-11-23T09:00', { now: within, staleMs: 60_000 })).toBe(false);

    await store.updateSettings('T1', (current) => ({
      ...current,
      rate_limit: { value: 90, set_by: 'U2', set_at: '2026-11-25T00:00:00.000Z' },
    }));
    const rows = await sql<{ key: string; value: string }>(
      file,
      "SELECT key, value FROM keyv WHERE key = 'keyv:t:T1:settings'",
    );
    expect(JSON.parse(rows[0]?.value ?? '{}').value.rate_limit.value).toBe(90);
  });
});

describe('SQLite store failures surface as store_unavailable', () => {
  it('when the file is not a database', async () => {
    await writeFile(file, Buffer.from('this is not a sqlite database, just garbage bytes '.repeat(200)));
    const error = await rejection(() => openStore());
    expect(error.code).toBe('store_unavailable');
  });

  it('when the file is replaced by garbage after data was stored', async () => {
    const first = await openStore();
    await first.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
    await first.close();
    await rm(`${file}-wal`, { force: true });
    await rm(`${file}-shm`, { force: true });
    await writeFile(file, Buffer.alloc(64 * 1024, 0x5a));
    expect((await rejection(() => openStore())).code).toBe('store_unavailable');
  });

  it('when the path is a directory', async () => {
    await mkdir(file);
    expect((await rejection(() => openStore())).code).toBe('store_unavailable');
  });

  it('when the table is gone under an open store (ping and reads fail, not empty)', async () => {
    const store = await openStore();
    await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
    await store.ping();
    await sql(file, 'DROP TABLE keyv');
    expect((await rejection(() => store.ping())).code).toBe('store_unavailable');
    expect((await rejection(() => store.listRuns('T1'))).code).toBe('store_unavailable');
    expect((await rejection(() => store.getSettings('T1'))).code).toBe('store_unavailable');
    expect((await rejection(() => store.getCompanies('T1', 'run-1'))).code).toBe('store_unavailable');
    const save = rejection(() =>
      store.saveRun('T1', record(makeRun('run-2', '2026-11-03T00:00:00.000Z', 1))),
    );
    expect((await save).code).toBe('store_unavailable');
  });

  describe('when a stored record is damaged', () => {
    async function damaged(keyLike: string, value: string): Promise<Store> {
      const store = await openStore();
      await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
      await store.updateSettings('T1', () => ({ rate_limit: { value: 5, set_by: 'U', set_at: 'x' } }));
      const keys = await rawKeys(file, keyLike);
      expect(keys).toHaveLength(1);
      await sql(file, 'UPDATE keyv SET value = ? WHERE key = ?', value, keys[0]);
      return store;
    }

    it.each([
      ['not JSON', '{{{ not json'],
      ['JSON of the wrong shape', JSON.stringify({ value: { run_id: 42 } })],
      ['a JSON object without a value', JSON.stringify({ something: 'else' })],
      ['JSON null', 'null'],
    ])('index holding %s', async (_what, value) => {
      const store = await damaged('%:t:T1:runs', value);
      const error = await rejection(() => store.listRuns('T1'));
      expect(error.code).toBe('store_unavailable');
      expect((await rejection(() => store.getAggregates('T1', ['run-1']))).code).toBe('store_unavailable');
      // A save must not write a fresh index over the damaged one (that would drop every other run).
      const save = rejection(() => store.saveRun('T1', record(makeRun('run-2', '2026-11-03T00:00:00Z', 1))));
      expect((await save).code).toBe('store_unavailable');
      const rows = await sql<{ value: string }>(file, "SELECT value FROM keyv WHERE key LIKE '%:t:T1:runs'");
      expect(rows.map((r) => r.value)).toEqual([value]);
      expect(await rawKeys(file, '%:run-2:%')).toEqual([]);
    });

    it('one index entry (a total stored as null): the rest stays readable, the entry is named and deletable', async () => {
      const store = await openStore();
      await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
      await store.saveRun('T1', record(makeRun('run-2', '2026-11-03T00:00:00.000Z', 2)));
      const [key] = await rawKeys(file, '%:t:T1:runs');
      const [row] = await sql<{ value: string }>(file, 'SELECT value FROM keyv WHERE key = ?', key);
      const stored = JSON.parse(row?.value ?? '') as {
        value: Array<{ run_id: string; headline: { credits: unknown } }>;
      };
      const broken = stored.value.find((e) => e.run_id === 'run-2');
      if (!broken) throw new Error('run-2 is not in the index');
      broken.headline.credits = null;
      await sql(file, 'UPDATE keyv SET value = ? WHERE key = ?', JSON.stringify(stored), key);

      expect((await store.listRuns('T1')).map((r) => r.run_id)).toEqual(['run-1']);
      expect(await store.listDamaged('T1')).toEqual([{ run_id: 'run-2', record: 'index entry' }]);
      expect(await store.getAggregates('T1', ['run-1'])).toHaveLength(1);
      // A new upload keeps the damaged entry (never drops it silently) and stays usable.
      await store.saveRun('T1', record(makeRun('run-3', '2026-11-04T00:00:00.000Z', 1)));
      expect((await store.listRuns('T1')).map((r) => r.run_id)).toEqual(['run-3', 'run-1']);
      expect(await store.listDamaged('T1')).toEqual([{ run_id: 'run-2', record: 'index entry' }]);
      // Deleting it removes the entry and its data.
      expect((await store.deleteRun('T1', 'run-2'))?.run_id).toBe('run-2');
      expect(await store.listDamaged('T1')).toEqual([]);
      expect(await rawKeys(file, '%:run-2:%')).toEqual([]);
      expect((await store.listRuns('T1')).map((r) => r.run_id)).toEqual(['run-3', 'run-1']);
    });

    it('aggregate: the run is left out of dashboards, named, and deletable', async () => {
      const store = await damaged('%:agg:run-1:%', JSON.stringify({ value: { v: 1, run_id: 'run-1' } }));
      expect(await store.listRuns('T1')).toHaveLength(1);
      expect(await store.getAggregates('T1', ['run-1'])).toEqual([]);
      expect(await store.listDamaged('T1')).toEqual([{ run_id: 'run-1', record: 'aggregate' }]);
      expect((await store.deleteRun('T1', 'run-1'))?.run_id).toBe('run-1');
      expect(await store.listDamaged('T1')).toEqual([]);
    });

    it('companies chunk', async () => {
      const store = await damaged('%:co:run-1:%', JSON.stringify({ value: [{ name: 'x', tier: 'Tier 9' }] }));
      expect((await rejection(() => store.getCompanies('T1', 'run-1'))).code).toBe('store_unavailable');
    });

    it('missing companies chunk', async () => {
      const store = await openStore();
      await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
      await sql(file, "DELETE FROM keyv WHERE key LIKE '%:co:run-1:%'");
      expect((await rejection(() => store.getCompanies('T1', 'run-1'))).code).toBe('store_unavailable');
    });

    it('settings: read as defaults, named, never written over', async () => {
      const value = JSON.stringify({ value: { rate_limit: 5 } });
      const store = await damaged('%:t:T1:settings', value);
      expect(await store.getSettings('T1')).toEqual({});
      expect(await store.listDamaged('T1')).toEqual([{ run_id: null, record: 'settings' }]);
      expect((await rejection(() => store.updateSettings('T1', (c) => c))).code).toBe('store_unavailable');
      const rows = await sql<{ value: string }>(
        file,
        "SELECT value FROM keyv WHERE key LIKE '%:t:T1:settings'",
      );
      expect(rows.map((r) => r.value)).toEqual([value]);
    });
  });
});

describe('SQLite store and a second app process', () => {
  let slack: FakeSlack;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    ensureBuilt();
    slack = await startFakeSlack();
  }, 120_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await slack.close();
  });

  interface Started {
    child: ChildProcess;
    /** Resolves with the exit code and everything the process wrote to stderr. */
    exited: Promise<{ code: number | null; stderr: string }>;
    /** Resolves when the app says it is listening. */
    listening: Promise<void>;
  }

  function startApp(): Started {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        STORE_URL: url,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    let onListening: () => void = () => undefined;
    const listening = new Promise<void>((resolve) => {
      onListening = resolve;
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('Listening on')) onListening();
    });
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    return { child, exited, listening };
  }

  it('refuses to start on a file another app process uses, pointing to PostgreSQL', async () => {
    const first = startApp();
    await Promise.race([
      first.listening,
      first.exited.then(({ stderr }) => {
        throw new Error(`the first app exited: ${stderr}`);
      }),
    ]);

    const second = startApp();
    const { code, stderr } = await second.exited;
    expect(code).toBe(1);
    expect(stderr).toContain('Another apollo-dashboard process is already using');
    expect(stderr).toContain('PostgreSQL');
    expect(first.child.exitCode).toBeNull();

    // A process that dies without cleaning up leaves no lock behind: the operating system drops it.
    first.child.kill('SIGKILL');
    await first.exited;
    const third = startApp();
    await Promise.race([
      third.listening,
      third.exited.then(({ stderr }) => {
        throw new Error(`the app did not start after the first one died: ${stderr}`);
      }),
    ]);
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
  }, 60_000);
});
