/**
 * The keyv store against a real SQLite file: round trips, chunking, replacement, isolation,
 * concurrency, and failures that must surface as `store_unavailable` (never as an empty list).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Company, Run, Tier } from '../../src/domain/model.js';
import { TIERS } from '../../src/domain/model.js';
import { AppError } from '../../src/errors.js';
import { buildRunRecord } from '../../src/services/ingest.js';
import { createKeyvStore } from '../../src/store/keyv-store.js';
import type { Store } from '../../src/store/store.js';

// ---------------------------------------------------------------------------------------------------
// Helpers

/** Opens the file with the raw driver, runs one statement and closes it again. */
async function sql<T = Record<string, unknown>>(
  file: string,
  text: string,
  ...params: unknown[]
): Promise<T[]> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(d)));
  });
  try {
    db.configure('busyTimeout', 10_000);
    return await new Promise<T[]>((resolve, reject) => {
      db.all(text, params, (error, rows) => (error ? reject(error) : resolve(rows as T[])));
    });
  } finally {
    await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
  }
}

async function rawKeys(file: string, like: string): Promise<string[]> {
  const rows = await sql<{ key: string }>(file, 'SELECT key FROM keyv WHERE key LIKE ? ORDER BY key', like);
  return rows.map((r) => r.key);
}

/** Runs `work` and returns the AppError it rejects with; fails the test if it resolves or throws another error. */
async function rejection(work: () => Promise<unknown>): Promise<AppError> {
  let result: unknown;
  try {
    result = await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError, got ${String(error)}`);
  }
  throw new Error(`expected an AppError, but it resolved with ${JSON.stringify(result)?.slice(0, 200)}`);
}

const INDUSTRIES = ['Software', 'Healthcare', 'Logistics', undefined] as const;
const COUNTRIES = ['United States', 'Germany', 'Japan', undefined] as const;

function makeCompanies(n: number, seed = 0): Company[] {
  const out: Company[] = [];
  for (let i = 0; i < n; i++) {
    const k = i + seed;
    const c: Company = { name: `Company ${k}`, tier: TIERS[k % TIERS.length] as Tier };
    if (k % 3 !== 0) c.domain = `company-${k}.example`;
    const industry = INDUSTRIES[k % INDUSTRIES.length];
    if (industry) c.industry = industry;
    const country = COUNTRIES[k % COUNTRIES.length];
    if (country) c.country = country;
    if (k % 5 !== 0) c.employees = (k * 37) % 20_000;
    if (k % 7 !== 0) c.icp_score = (k * 13) % 101;
    if (k % 4 === 1) c.campaign = 'Email';
    if (k % 4 === 2) c.campaign = 'LinkedIn';
    if (k % 11 === 0) c.city = 'Springfield';
    out.push(c);
  }
  return out;
}

function makeRun(runId: string, startedAt: string, companies: number, extra: Partial<Run> = {}): Run {
  return {
    run_id: runId,
    started_at: startedAt,
    companies: makeCompanies(companies),
    api_calls: [
      {
        timestamp: startedAt,
        endpoint: 'mixed_companies/search',
        response_time: 1.25,
        status_code: 200,
        credits_used: 1,
      },
      {
        timestamp: startedAt,
        endpoint: 'mixed_companies/search',
        response_time: 2.5,
        status_code: 429,
        credits_used: 0,
      },
    ],
    quality_scores: [0.5, 0.75],
    ...extra,
  };
}

const NOW = new Date('2026-11-24T12:00:00Z');
const record = (run: Run, uploadedBy?: string) =>
  buildRunRecord(run, { source: 'slack', now: NOW, ...(uploadedBy ? { uploadedBy } : {}) });

// ---------------------------------------------------------------------------------------------------

let dir: string;
let file: string;
let url: string;
const open: Store[] = [];

async function openStore(at = url): Promise<Store> {
  const store = await createKeyvStore({ url: at });
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

describe('keyv store on a SQLite file', () => {
  it('round-trips a run: index entry, aggregate and more than 10,000 companies (chunked)', async () => {
    const store = await openStore();
    const run = makeRun('run-big', '2026-11-02T09:00:00.000Z', 25_001, { label: 'Big week' });
    const rec = record(run, 'U123');

    const result = await store.saveRun('T1', rec);
    expect(result.replaced).toBeNull();
    expect(result.meta).toEqual(rec.meta);

    expect(await store.listRuns('T1')).toEqual([rec.meta]);
    expect(await store.getAggregates('T1', ['run-big'])).toEqual([rec.aggregate]);
    const companies = await store.getCompanies('T1', 'run-big');
    expect(companies).toHaveLength(25_001);
    expect(companies).toEqual(run.companies);

    // 25,001 companies in chunks of 10,000: three chunk keys plus one aggregate key.
    expect(await rawKeys(file, '%:co:run-big:%')).toHaveLength(3);
    expect(await rawKeys(file, '%:agg:run-big:%')).toHaveLength(1);
  });

  it('returns nothing for runs that are not there', async () => {
    const store = await openStore();
    expect(await store.listRuns('T1')).toEqual([]);
    expect(await store.getAggregates('T1', ['nope'])).toEqual([]);
    expect(await store.getCompanies('T1', 'nope')).toBeNull();
    expect(await store.deleteRun('T1', 'nope')).toBeNull();
    expect(await store.getSettings('T1')).toEqual({});
  });

  it('lists runs newest first and reads aggregates of the ids asked for', async () => {
    const store = await openStore();
    const a = record(makeRun('run-a', '2026-11-01T00:00:00.000Z', 3));
    const b = record(makeRun('run-b', '2026-11-03T00:00:00.000Z', 4));
    const c = record(makeRun('run-c', '2026-11-02T00:00:00.000Z', 5));
    for (const r of [a, b, c]) await store.saveRun('T1', r);
    expect((await store.listRuns('T1')).map((r) => r.run_id)).toEqual(['run-b', 'run-c', 'run-a']);
    expect(await store.getAggregates('T1', ['run-a', 'run-c'])).toEqual([a.aggregate, c.aggregate]);
    expect(await store.getAggregates('T1', ['run-a', 'missing'])).toEqual([a.aggregate]);
  });

  it('keeps the data across close and reopen', async () => {
    const first = await openStore();
    const run = makeRun('run-keep', '2026-11-05T10:00:00.000Z', 12_345);
    const rec = record(run);
    await first.saveRun('T1', rec);
    await first.updateSettings('T1', () => ({
      rate_limit: { value: 200, set_by: 'U1', set_at: NOW.toISOString() },
    }));
    await first.close();

    const second = await openStore();
    expect(await second.listRuns('T1')).toEqual([rec.meta]);
    expect(await second.getAggregates('T1', ['run-keep'])).toEqual([rec.aggregate]);
    expect(await second.getCompanies('T1', 'run-keep')).toEqual(run.companies);
    expect(await second.getSettings('T1')).toEqual({
      rate_limit: { value: 200, set_by: 'U1', set_at: NOW.toISOString() },
    });
  });

  it('replaces a run saved again under the same run_id and removes the old data keys', async () => {
    const store = await openStore();
    const first = record(makeRun('run-x', '2026-11-02T09:00:00.000Z', 21_000));
    await store.saveRun('T1', first);
    const oldChunks = await rawKeys(file, '%:co:run-x:%');
    const oldAggregate = await rawKeys(file, '%:agg:run-x:%');
    expect(oldChunks).toHaveLength(3);

    const secondRun = makeRun('run-x', '2026-11-02T09:00:00.000Z', 5, { label: 'corrected' });
    const second = record(secondRun);
    const result = await store.saveRun('T1', second);
    expect(result.replaced).toEqual(first.meta);
    expect(result.meta).toEqual(second.meta);

    const runs = await store.listRuns('T1');
    expect(runs).toEqual([second.meta]);
    expect(await store.getAggregates('T1', ['run-x'])).toEqual([second.aggregate]);
    expect(await store.getCompanies('T1', 'run-x')).toEqual(secondRun.companies);

    const newChunks = await rawKeys(file, '%:co:run-x:%');
    const newAggregate = await rawKeys(file, '%:agg:run-x:%');
    expect(newChunks).toHaveLength(1);
    expect(newAggregate).toHaveLength(1);
    for (const key of [...oldChunks, ...oldAggregate]) {
      expect(newChunks).not.toContain(key);
      expect(newAggregate).not.toContain(key);
    }
  });

  it('keeps workspaces apart', async () => {
    const store = await openStore();
    const a = record(makeRun('run-shared-id', '2026-11-02T00:00:00.000Z', 3));
    const b = record(makeRun('run-shared-id', '2026-11-04T00:00:00.000Z', 7));
    const onlyB = record(makeRun('run-b-only', '2026-11-05T00:00:00.000Z', 2));
    await store.saveRun('TA', a);
    expect((await store.saveRun('TB', b)).replaced).toBeNull();
    await store.saveRun('TB', onlyB);
    await store.updateSettings('TB', () => ({
      timezone: { value: 'Asia/Tokyo', set_by: 'U9', set_at: 'x' },
    }));

    expect(await store.listRuns('TA')).toEqual([a.meta]);
    expect(await store.getAggregates('TA', ['run-shared-id', 'run-b-only'])).toEqual([a.aggregate]);
    expect(await store.getCompanies('TA', 'run-b-only')).toBeNull();
    expect((await store.getCompanies('TA', 'run-shared-id'))?.length).toBe(3);
    expect(await store.getSettings('TA')).toEqual({});

    expect((await store.listRuns('TB')).map((r) => r.run_id)).toEqual(['run-b-only', 'run-shared-id']);
    expect((await store.getCompanies('TB', 'run-shared-id'))?.length).toBe(7);

    expect(await store.deleteRun('TA', 'run-b-only')).toBeNull();
    expect(await store.deleteRun('TA', 'run-shared-id')).toEqual(a.meta);
    expect(await store.listRuns('TA')).toEqual([]);
    expect((await store.listRuns('TB')).map((r) => r.run_id)).toEqual(['run-b-only', 'run-shared-id']);
    expect((await store.getCompanies('TB', 'run-shared-id'))?.length).toBe(7);
  });

  it('deletes a run with its data', async () => {
    const store = await openStore();
    const keep = record(makeRun('run-keep', '2026-11-01T00:00:00.000Z', 4));
    const gone = record(makeRun('run-gone', '2026-11-02T00:00:00.000Z', 10_001));
    await store.saveRun('T1', keep);
    await store.saveRun('T1', gone);

    expect(await store.deleteRun('T1', 'run-gone')).toEqual(gone.meta);
    expect(await store.listRuns('T1')).toEqual([keep.meta]);
    expect(await store.getCompanies('T1', 'run-gone')).toBeNull();
    expect(await store.getAggregates('T1', ['run-gone'])).toEqual([]);
    expect(await rawKeys(file, '%:run-gone:%')).toEqual([]);
    expect(await store.deleteRun('T1', 'run-gone')).toBeNull();
    expect(await store.getCompanies('T1', 'run-keep')).toHaveLength(4);
  });

  it('updates settings from the current value', async () => {
    const store = await openStore();
    const rate = { value: 150, set_by: 'U1', set_at: '2026-11-01T00:00:00.000Z' };
    const tz = { value: 'Europe/Berlin', set_by: 'U2', set_at: '2026-11-02T00:00:00.000Z' };
    expect(await store.updateSettings('T1', (current) => ({ ...current, rate_limit: rate }))).toEqual({
      rate_limit: rate,
    });
    const seen: unknown[] = [];
    const next = await store.updateSettings('T1', (current) => {
      seen.push(current);
      return { ...current, timezone: tz };
    });
    expect(seen).toEqual([{ rate_limit: rate }]);
    expect(next).toEqual({ rate_limit: rate, timezone: tz });
    expect(await store.getSettings('T1')).toEqual({ rate_limit: rate, timezone: tz });
  });

  it('keeps all of 50 concurrent saveRun calls with distinct run ids', async () => {
    const store = await openStore();
    const records = Array.from({ length: 50 }, (_, i) =>
      record(
        makeRun(
          `run-${String(i).padStart(2, '0')}`,
          new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(),
          1 + (i % 7),
        ),
      ),
    );
    const results = await Promise.all(records.map((r) => store.saveRun('T1', r)));
    expect(results.every((r) => r.replaced === null)).toBe(true);

    const listed = await store.listRuns('T1');
    expect(listed).toHaveLength(50);
    expect(new Set(listed.map((r) => r.run_id))).toEqual(new Set(records.map((r) => r.meta.run_id)));
    const ids = records.map((r) => r.meta.run_id);
    expect(await store.getAggregates('T1', ids)).toEqual(records.map((r) => r.aggregate));
  });

  it('keeps all of 50 concurrent updateSettings calls that each add their own key', async () => {
    const store = await openStore();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.updateSettings('T1', (current) => ({
          ...current,
          [`key_${i}`]: { value: i, set_by: `U${i}`, set_at: NOW.toISOString() },
        })),
      ),
    );
    const settings = await store.getSettings('T1');
    expect(Object.keys(settings)).toHaveLength(50);
    for (let i = 0; i < 50; i++) expect(settings[`key_${i}`]?.value).toBe(i);
  });

  it('creates the directory of STORE_URL when missing', async () => {
    const nested = join(dir, 'not', 'yet', 'there');
    expect(existsSync(nested)).toBe(false);
    const store = await openStore(`sqlite://${join(nested, 'apollo.sqlite')}`);
    await store.ping();
    await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 1)));
    expect(existsSync(join(nested, 'apollo.sqlite'))).toBe(true);
  });

  it('rejects a STORE_URL that is not sqlite://', async () => {
    const error = await rejection(() => createKeyvStore({ url: `redis://${file}` }));
    expect(error.code).toBe('config_invalid');
  });

  it('ping succeeds on a working store and fails after close', async () => {
    const store = await createKeyvStore({ url });
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    expect((await rejection(() => store.ping())).code).toBe('store_unavailable');
    expect((await rejection(() => store.listRuns('T1'))).code).toBe('store_unavailable');
  });
});

describe('keyv store failures surface as store_unavailable', () => {
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
      ['JSON of the wrong shape', JSON.stringify({ value: [{ run_id: 42 }] })],
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

    it('aggregate', async () => {
      const store = await damaged('%:agg:run-1:%', JSON.stringify({ value: { v: 1, run_id: 'run-1' } }));
      expect(await store.listRuns('T1')).toHaveLength(1);
      expect((await rejection(() => store.getAggregates('T1', ['run-1']))).code).toBe('store_unavailable');
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

    it('settings', async () => {
      const store = await damaged('%:t:T1:settings', JSON.stringify({ value: { rate_limit: 5 } }));
      expect((await rejection(() => store.getSettings('T1'))).code).toBe('store_unavailable');
      expect((await rejection(() => store.updateSettings('T1', (c) => c))).code).toBe('store_unavailable');
    });
  });
});

describe('documents', () => {
  it('refuses to store a document its own schema would reject, keeping the previous value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apollo-docs-'));
    const store = await createKeyvStore({ url: `sqlite://${join(dir, 'docs.sqlite')}` });
    try {
      const schema = z.object({ items: z.array(z.string()) });
      await store.updateDocument('T1', 'things', schema, () => ({
        value: { items: ['a'] },
        result: undefined,
      }));
      const bad = store.updateDocument('T1', 'things', schema, () => ({
        value: { items: [42 as unknown as string] },
        result: undefined,
      }));
      await expect(bad).rejects.toMatchObject({ code: 'store_unavailable' });
      expect(await store.getDocument('T1', 'things', schema)).toEqual({ items: ['a'] });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
