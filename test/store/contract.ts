/**
 * The Store contract, run against every database (sqlite-store.test.ts, postgres-store.test.ts):
 * round trips, chunking, replacement, isolation, concurrency, documents, claims.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Company, Run, Tier } from '../../src/domain/model.js';
import { TIERS } from '../../src/domain/model.js';
import { AppError } from '../../src/errors.js';
import { buildRunRecord } from '../../src/services/ingest.js';
import { encodeRun } from '../../src/store/run-encoding.js';
import type { Store } from '../../src/store/store.js';

/** Runs `work` and returns the AppError it rejects with; fails the test if it resolves or throws another error. */
export async function rejection(work: () => Promise<unknown>): Promise<AppError> {
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

export function makeCompanies(n: number, seed = 0): Company[] {
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

export function makeRun(runId: string, startedAt: string, companies: number, extra: Partial<Run> = {}): Run {
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

export const NOW = new Date('2026-11-24T12:00:00Z');
export const record = (run: Run, uploadedBy?: string) =>
  buildRunRecord(run, { source: 'slack', now: NOW, ...(uploadedBy ? { uploadedBy } : {}) });

export interface ContractTarget {
  kind: Store['kind'];
  /** A store on a fresh, empty database; the same database each time within one test. */
  open(): Promise<Store>;
  /** Keys of the stored records matching a SQL LIKE pattern. */
  rawKeys(like: string): Promise<string[]>;
  /** Copies a stored record to another (raw) key, as an upload interrupted by a crash left its data. */
  rawCopy(fromKey: string, toKey: string): Promise<void>;
  /** Stores `json` (a value's JSON text) under a raw key as the store would, bypassing its checks. */
  rawWrite(key: string, json: string): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function storeContract(target: ContractTarget): void {
  const { open, rawKeys } = target;

  describe('runs', () => {
    it('round-trips a run: index entry, aggregate and more than 10,000 companies (chunked)', async () => {
      const store = await open();
      expect(store.kind).toBe(target.kind);
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
      expect(await rawKeys('%:co:run-big:%')).toHaveLength(3);
      expect(await rawKeys('%:agg:run-big:%')).toHaveLength(1);
    });

    it("keeps a run's upload warnings and contact rows; a run stored without them reads without them", async () => {
      const store = await open();
      const warned = buildRunRecord(makeRun('run-warned', '2026-11-02T00:00:00.000Z', 3), {
        source: 'api',
        now: NOW,
        warnings: [
          { code: 'people_export', message: 'A People export: 7 contact rows became 3 companies.' },
          { code: 'no_scores', message: 'No company has an ICP score or a tier.' },
        ],
        contactRows: 7,
      });
      const plain = record(makeRun('run-plain', '2026-11-01T00:00:00.000Z', 2));
      expect(plain.meta).not.toHaveProperty('warnings');
      await store.saveRun('T1', warned);
      await store.saveRun('T1', plain);
      await store.close();

      const reopened = await open();
      const [first, second] = await reopened.listRuns('T1');
      expect(first?.run_id).toBe('run-warned');
      expect(first?.warnings).toEqual([
        { code: 'people_export', message: 'A People export: 7 contact rows became 3 companies.' },
        { code: 'no_scores', message: 'No company has an ICP score or a tier.' },
      ]);
      expect(first?.contact_rows).toBe(7);
      expect(second).toEqual(plain.meta);
      expect(second).not.toHaveProperty('warnings');
      expect(second).not.toHaveProperty('contact_rows');
    });

    it('returns nothing for runs that are not there', async () => {
      const store = await open();
      expect(await store.listRuns('T1')).toEqual([]);
      expect(await store.getAggregates('T1', ['nope'])).toEqual([]);
      expect(await store.getCompanies('T1', 'nope')).toBeNull();
      expect(await store.deleteRun('T1', 'nope')).toBeNull();
      expect(await store.getSettings('T1')).toEqual({});
      expect(await store.listWorkspaces()).toEqual([]);
    });

    it('lists runs newest first and reads aggregates of the ids asked for', async () => {
      const store = await open();
      const a = record(makeRun('run-a', '2026-11-01T00:00:00.000Z', 3));
      const b = record(makeRun('run-b', '2026-11-03T00:00:00.000Z', 4));
      const c = record(makeRun('run-c', '2026-11-02T00:00:00.000Z', 5));
      for (const r of [a, b, c]) await store.saveRun('T1', r);
      expect((await store.listRuns('T1')).map((r) => r.run_id)).toEqual(['run-b', 'run-c', 'run-a']);
      expect(await store.getAggregates('T1', ['run-a', 'run-c'])).toEqual([a.aggregate, c.aggregate]);
      expect(await store.getAggregates('T1', ['run-a', 'missing'])).toEqual([a.aggregate]);
    });

    it('keeps the data across close and reopen', async () => {
      const first = await open();
      const run = makeRun('run-keep', '2026-11-05T10:00:00.000Z', 12_345);
      const rec = record(run);
      await first.saveRun('T1', rec);
      await first.updateSettings('T1', () => ({
        rate_limit: { value: 200, set_by: 'U1', set_at: NOW.toISOString() },
      }));
      await first.close();

      const second = await open();
      expect(await second.listRuns('T1')).toEqual([rec.meta]);
      expect(await second.getAggregates('T1', ['run-keep'])).toEqual([rec.aggregate]);
      expect(await second.getCompanies('T1', 'run-keep')).toEqual(run.companies);
      expect(await second.getSettings('T1')).toEqual({
        rate_limit: { value: 200, set_by: 'U1', set_at: NOW.toISOString() },
      });
      expect(await second.listWorkspaces()).toEqual(['T1']);
    });

    it('replaces a run saved again under the same run_id and removes the old data keys', async () => {
      const store = await open();
      const first = record(makeRun('run-x', '2026-11-02T09:00:00.000Z', 21_000));
      await store.saveRun('T1', first);
      const oldChunks = await rawKeys('%:co:run-x:%');
      const oldAggregate = await rawKeys('%:agg:run-x:%');
      expect(oldChunks).toHaveLength(3);

      const secondRun = makeRun('run-x', '2026-11-02T09:00:00.000Z', 5, { label: 'corrected' });
      const second = record(secondRun);
      const result = await store.saveRun('T1', second);
      expect(result.replaced).toEqual(first.meta);
      expect(result.meta).toEqual(second.meta);

      expect(await store.listRuns('T1')).toEqual([second.meta]);
      expect(await store.getAggregates('T1', ['run-x'])).toEqual([second.aggregate]);
      expect(await store.getCompanies('T1', 'run-x')).toEqual(secondRun.companies);

      const newChunks = await rawKeys('%:co:run-x:%');
      const newAggregate = await rawKeys('%:agg:run-x:%');
      expect(newChunks).toHaveLength(1);
      expect(newAggregate).toHaveLength(1);
      for (const key of [...oldChunks, ...oldAggregate]) {
        expect(newChunks).not.toContain(key);
        expect(newAggregate).not.toContain(key);
      }
    });

    it('keeps workspaces apart', async () => {
      const store = await open();
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
      expect(await store.listWorkspaces()).toEqual(['TA', 'TB']);

      expect((await store.listRuns('TB')).map((r) => r.run_id)).toEqual(['run-b-only', 'run-shared-id']);
      expect((await store.getCompanies('TB', 'run-shared-id'))?.length).toBe(7);

      expect(await store.deleteRun('TA', 'run-b-only')).toBeNull();
      expect(await store.deleteRun('TA', 'run-shared-id')).toEqual(a.meta);
      expect(await store.listRuns('TA')).toEqual([]);
      expect((await store.listRuns('TB')).map((r) => r.run_id)).toEqual(['run-b-only', 'run-shared-id']);
      expect((await store.getCompanies('TB', 'run-shared-id'))?.length).toBe(7);
    });

    it('reads a damaged settings record as defaults, names it, never writes over it, and removes it', async () => {
      const store = await open();
      await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
      await store.updateSettings('T1', () => ({ rate_limit: { value: 5, set_by: 'U', set_at: 'x' } }));
      // Healthy settings are not removed by the repair.
      expect(await store.deleteDamagedSettings('T1')).toBe(false);
      expect((await store.getSettings('T1')).rate_limit?.value).toBe(5);
      const [key] = await rawKeys('%t:T1:settings');
      if (!key) throw new Error('no settings record');
      // A value without who set it: what an older or hand-edited record could hold.
      const broken = JSON.stringify({ rate_limit: 5 });
      await target.rawWrite(key, broken);

      expect(await store.getSettings('T1')).toEqual({});
      expect(await store.listDamaged('T1')).toEqual([{ run_id: null, record: 'settings' }]);
      expect(await store.listRuns('T1')).toHaveLength(1);
      const refused = await rejection(() =>
        store.updateSettings('T1', () => ({ rate_limit: { value: 7, set_by: 'U', set_at: 'y' } })),
      );
      expect(refused.code).toBe('store_unavailable');
      expect(refused.message).toContain('settings reset');
      // Still the damaged value, for whoever wants to recover it by hand.
      expect(await store.listDamaged('T1')).toEqual([{ run_id: null, record: 'settings' }]);
      expect(await store.listDamaged('T2')).toEqual([]);

      expect(await store.deleteDamagedSettings('T1')).toBe(true);
      expect(await store.listDamaged('T1')).toEqual([]);
      expect(await rawKeys('%t:T1:settings')).toEqual([]);
      expect(await store.deleteDamagedSettings('T1')).toBe(false);
      const next = await store.updateSettings('T1', () => ({
        rate_limit: { value: 7, set_by: 'U', set_at: 'y' },
      }));
      expect(next.rate_limit?.value).toBe(7);
      expect((await store.getSettings('T1')).rate_limit?.value).toBe(7);
    });

    it('lists no damaged records for a healthy workspace', async () => {
      const store = await open();
      await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
      expect(await store.listDamaged('T1')).toEqual([]);
      expect(await store.listDamaged('T-none')).toEqual([]);
    });

    it('reads an encoded run back exactly as the same run saved from objects', async () => {
      const store = await open();
      // 25,000 companies: three chunks, the last one partial.
      const run = makeRun('run-enc', '2026-11-02T00:00:00.000Z', 25_000);
      const plain = record(run);
      await store.saveRun('TP', plain);
      const encoded = await store.saveEncodedRun('TE', encodeRun(record(run)));
      expect(encoded.meta).toEqual((await store.listRuns('TP'))[0]);
      expect(await store.listRuns('TE')).toEqual(await store.listRuns('TP'));
      expect(await store.getAggregates('TE', ['run-enc'])).toEqual(
        await store.getAggregates('TP', ['run-enc']),
      );
      const companies = await store.getCompanies('TE', 'run-enc');
      expect(companies).toHaveLength(25_000);
      expect(companies).toEqual(await store.getCompanies('TP', 'run-enc'));
    });

    it('deletes a run with its data', async () => {
      const store = await open();
      const keep = record(makeRun('run-keep', '2026-11-01T00:00:00.000Z', 4));
      const gone = record(makeRun('run-gone', '2026-11-02T00:00:00.000Z', 10_001));
      await store.saveRun('T1', keep);
      await store.saveRun('T1', gone);

      expect(await store.deleteRun('T1', 'run-gone')).toEqual(gone.meta);
      expect(await store.listRuns('T1')).toEqual([keep.meta]);
      expect(await store.getCompanies('T1', 'run-gone')).toBeNull();
      expect(await store.getAggregates('T1', ['run-gone'])).toEqual([]);
      expect(await rawKeys('%:run-gone:%')).toEqual([]);
      expect(await store.deleteRun('T1', 'run-gone')).toBeNull();
      expect(await store.getCompanies('T1', 'run-keep')).toHaveLength(4);
    });

    it('keeps all of 50 concurrent saveRun calls with distinct run ids', async () => {
      const store = await open();
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

    it('keeps every run and index entry when saves and deletes of one workspace interleave', async () => {
      const store = await open();
      const doomed = Array.from({ length: 10 }, (_, i) =>
        record(makeRun(`old-${i}`, `2026-10-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`, 2)),
      );
      for (const r of doomed) await store.saveRun('T1', r);
      const fresh = Array.from({ length: 10 }, (_, i) =>
        record(makeRun(`new-${i}`, `2026-11-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`, 2)),
      );
      await Promise.all([
        ...fresh.map((r) => store.saveRun('T1', r)),
        ...doomed.map((r) => store.deleteRun('T1', r.meta.run_id)),
      ]);
      expect((await store.listRuns('T1')).map((r) => r.run_id).sort()).toEqual(
        fresh.map((r) => r.meta.run_id).sort(),
      );
      expect(await rawKeys('%:old-%')).toEqual([]);
    });
  });

  describe('settings and documents', () => {
    it('updates settings from the current value', async () => {
      const store = await open();
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
      expect(await store.listWorkspaces()).toEqual(['T1']);
    });

    it('round-trips a currency setting (a string) and its removal', async () => {
      const store = await open();
      const currency = { value: 'EUR', set_by: 'U1', set_at: '2026-11-03T00:00:00.000Z' };
      await store.updateSettings('T1', (current) => ({ ...current, currency }));
      expect(await store.getSettings('T1')).toEqual({ currency });
      await store.updateSettings('T1', ({ currency: _removed, ...rest }) => rest);
      expect(await store.getSettings('T1')).toEqual({});
    });

    it('keeps all of 50 concurrent updateSettings calls that each add their own key', async () => {
      const store = await open();
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

    it('keeps all of 100 concurrent document updates from two store instances on one database', async () => {
      const a = await open();
      const b = await open();
      const schema = z.object({ count: z.number(), seen: z.array(z.number()) });
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 ? a : b).updateDocument('T1', 'counter', schema, (current) => {
            const count = (current?.count ?? 0) + 1;
            return { value: { count, seen: [...(current?.seen ?? []), i] }, result: count };
          }),
        ),
      );
      const doc = await a.getDocument('T1', 'counter', schema);
      expect(doc?.count).toBe(100);
      expect([...(doc?.seen ?? [])].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      // Each update saw the one before it: the results are 1..100, each once.
      expect(results.map((r) => r.result).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
    });

    it('updates several documents in one transaction: written, deleted, left alone, or none on a throw', async () => {
      const store = await open();
      const schema = z.object({ items: z.array(z.string()) });
      await store.updateDocument('T1', 'day-a', schema, () => ({
        value: { items: ['a1'] },
        result: undefined,
      }));
      await store.updateDocument('T1', 'day-b', schema, () => ({
        value: { items: ['b1'] },
        result: undefined,
      }));
      await store.updateDocument('T1', 'day-c', schema, () => ({
        value: { items: ['c1'] },
        result: undefined,
      }));
      const seen = await store.updateDocuments(
        'T1',
        ['day-a', 'day-b', 'day-c', 'day-d'],
        schema,
        (current) => ({
          values: [{ items: [...(current[0]?.items ?? []), 'a2'] }, null, undefined, { items: ['d1'] }],
          result: current.map((c) => c?.items.length ?? 0),
        }),
      );
      expect(seen).toEqual([1, 1, 1, 0]);
      expect(await store.getDocuments('T1', ['day-a', 'day-b', 'day-c', 'day-d'], schema)).toEqual([
        { items: ['a1', 'a2'] },
        undefined,
        { items: ['c1'] },
        { items: ['d1'] },
      ]);
      // A throwing change, or one value the schema refuses, stores none of the values.
      await rejection(() =>
        store.updateDocuments('T1', ['day-a', 'day-d'], schema, () => {
          throw new Error('no');
        }),
      );
      const refused = await rejection(() =>
        store.updateDocuments('T1', ['day-a', 'day-d'], schema, () => ({
          values: [{ items: ['changed'] }, { items: [42] } as unknown as { items: string[] }],
          result: undefined,
        })),
      );
      expect(refused.code).toBe('store_unavailable');
      expect(await store.getDocuments('T1', ['day-a', 'day-d'], schema)).toEqual([
        { items: ['a1', 'a2'] },
        { items: ['d1'] },
      ]);
      // Another workspace's documents of the same names are untouched.
      expect(await store.getDocuments('T2', ['day-a', 'day-d'], schema)).toEqual([undefined, undefined]);
    });

    it('skips a damaged document when asked, names it, and removes only a damaged one', async () => {
      const store = await open();
      const schema = z.object({ items: z.array(z.string()) });
      for (const name of ['doc-a', 'doc-b'])
        await store.updateDocument('T1', name, schema, () => ({
          value: { items: [name] },
          result: undefined,
        }));
      expect(await store.deleteDamagedDocument('T1', 'doc-a', schema)).toBe(false);
      expect(await store.deleteDamagedDocument('T1', 'doc-none', schema)).toBe(false);
      const [key] = await rawKeys('%t:T1:doc:doc-b');
      if (!key) throw new Error('no document record');
      await target.rawWrite(key, JSON.stringify({ items: [42] }));

      // Without skipDamaged the read fails, as before; with it the rest is read and the damage named.
      expect((await rejection(() => store.getDocuments('T1', ['doc-a', 'doc-b'], schema))).code).toBe(
        'store_unavailable',
      );
      expect(await store.listDamaged('T1')).toEqual([]);
      expect(await store.getDocuments('T1', ['doc-a', 'doc-b'], schema, { skipDamaged: true })).toEqual([
        { items: ['doc-a'] },
        undefined,
      ]);
      expect(await store.listDamaged('T1')).toEqual([
        { run_id: null, record: 'document', document: 'doc-b' },
      ]);
      expect(await store.listDamaged('T2')).toEqual([]);
      // A write that reads it is refused, and leaves it as it is.
      await rejection(() =>
        store.updateDocuments('T1', ['doc-a', 'doc-b'], schema, () => ({
          values: [{ items: ['x'] }, { items: ['y'] }],
          result: undefined,
        })),
      );
      expect(await store.getDocument('T1', 'doc-a', schema)).toEqual({ items: ['doc-a'] });

      expect(await store.deleteDamagedDocument('T1', 'doc-b', schema)).toBe(true);
      expect(await rawKeys('%t:T1:doc:doc-b')).toEqual([]);
      expect(await store.listDamaged('T1')).toEqual([]);
      expect(await store.getDocuments('T1', ['doc-a', 'doc-b'], schema)).toEqual([
        { items: ['doc-a'] },
        undefined,
      ]);
    });

    it('keeps every item of 60 concurrent multi-document batches over overlapping days from two stores', async () => {
      const a = await open();
      const b = await open();
      const schema = z.object({ items: z.array(z.string()) });
      const days = ['d0', 'd1', 'd2', 'd3'];
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          // Batch i writes to two or three of the four days, in a different order each time.
          const names = [days[i % 4], days[(i + 1) % 4], ...(i % 3 === 0 ? [days[(i + 2) % 4]] : [])].map(
            String,
          );
          if (i % 2) names.reverse();
          return (i % 2 ? a : b).updateDocuments('T1', names, schema, (current) => ({
            values: current.map((c, k) => ({ items: [...(c?.items ?? []), `b${i}:${names[k]}`] })),
            result: undefined,
          }));
        }),
      );
      const stored = await a.getDocuments('T1', days, schema);
      for (const [k, day] of days.entries()) {
        const expected: string[] = [];
        for (let i = 0; i < 60; i++) {
          const names = [days[i % 4], days[(i + 1) % 4], ...(i % 3 === 0 ? [days[(i + 2) % 4]] : [])];
          if (names.includes(day)) expected.push(`b${i}:${day}`);
        }
        expect([...(stored[k]?.items ?? [])].sort()).toEqual(expected.sort());
      }
    });

    it('refuses to store a document its own schema would reject, keeping the previous value', async () => {
      const store = await open();
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
      expect(await store.getDocument('T1', 'other', schema)).toBeUndefined();
    });

    it('stores nothing when the change throws', async () => {
      const store = await open();
      const schema = z.object({ n: z.number() });
      await store.updateDocument('T1', 'n', schema, () => ({ value: { n: 1 }, result: undefined }));
      await expect(
        store.updateDocument('T1', 'n', schema, () => {
          throw new Error('changed my mind');
        }),
      ).rejects.toMatchObject({ code: 'store_unavailable' });
      expect(await store.getDocument('T1', 'n', schema)).toEqual({ n: 1 });
    });
  });

  describe('claims', () => {
    it('gives a claim to exactly one of 20 concurrent callers, again after release', async () => {
      const a = await open();
      const b = await open();
      const claimAll = () =>
        Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? a : b).claim('T1', 'digest:2026-11-23', { now: new Date(), staleMs: 3_600_000 }),
          ),
        );
      expect((await claimAll()).filter(Boolean)).toHaveLength(1);
      expect((await claimAll()).filter(Boolean)).toHaveLength(0);
      // Another name and another workspace are separate claims.
      expect(await a.claim('T1', 'digest:2026-11-30', { now: new Date(), staleMs: 3_600_000 })).toBe(true);
      expect(await a.claim('T2', 'digest:2026-11-23', { now: new Date(), staleMs: 3_600_000 })).toBe(true);
      await b.release('T1', 'digest:2026-11-23');
      expect((await claimAll()).filter(Boolean)).toHaveLength(1);
    });

    it('lets a claim older than staleMs be taken over by one caller', async () => {
      const store = await open();
      expect(await store.claim('T1', 'send', { now: new Date(), staleMs: 60_000 })).toBe(true);
      await sleep(1_100);
      // Not stale for a 60 s limit; stale for a 1 s one, and then fresh again for the other callers.
      expect(await store.claim('T1', 'send', { now: new Date(), staleMs: 60_000 })).toBe(false);
      const takeovers = await Promise.all(
        Array.from({ length: 10 }, () => store.claim('T1', 'send', { now: new Date(), staleMs: 1_000 })),
      );
      expect(takeovers.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('hygiene', () => {
    it('removes run data no index entry points to, and only that', async () => {
      const store = await open();
      const run = makeRun('run-o', '2026-11-02T09:00:00.000Z', 25_001);
      await store.saveRun('T1', record(run));
      await store.saveRun('T2', record(makeRun('run-p', '2026-11-03T09:00:00.000Z', 3)));
      const live = await rawKeys('%:run-o:%');
      expect(live).toHaveLength(4);
      // What a crashed upload of run-o (generation "0rphan00") and of a never-indexed run left behind.
      const orphans = live.flatMap((key) => {
        const agg = /^(.*:agg:run-o:)[^:]+$/.exec(key);
        const co = /^(.*:co:run-o:)[^:]+(:\d+)$/.exec(key);
        return agg
          ? [`${agg[1]}0rphan00`, key.replace(':agg:run-o:', ':agg:never:')]
          : co
            ? [`${co[1]}0rphan00${co[2]}`]
            : [];
      });
      for (const [i, key] of orphans.entries())
        await target.rawCopy(live[Math.min(i, live.length - 1)] ?? '', key);
      expect(await rawKeys('%:run-o:0rphan00%')).toHaveLength(4);

      const reclaimed = await store.reclaimOrphans();
      expect(reclaimed.records).toBe(5);
      expect(reclaimed.bytes).toBeGreaterThan(0);
      expect(await rawKeys('%0rphan00%')).toEqual([]);
      expect(await rawKeys('%:never:%')).toEqual([]);
      expect((await rawKeys('%:run-o:%')).sort()).toEqual([...live].sort());
      expect(await store.getCompanies('T1', 'run-o')).toEqual(run.companies);
      expect(await store.getCompanies('T2', 'run-p')).toHaveLength(3);
      expect(await store.reclaimOrphans()).toEqual({ records: 0, bytes: 0 });
    });
  });

  describe('deleting a workspace', () => {
    it('deletes runs, settings, documents and claims, keeping only the documents asked for; other workspaces untouched', async () => {
      const store = await open();
      const docSchema = z.object({ n: z.number() });
      for (const team of ['T_A', 'T_AB']) {
        await store.saveRun(team, record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 10_001)));
        await store.updateSettings(team, () => ({
          timezone: { value: 'Asia/Tokyo', set_by: 'U9', set_at: 'x' },
        }));
        await store.updateDocument(team, 'kept', docSchema, () => ({ value: { n: 1 }, result: undefined }));
        await store.updateDocument(team, 'dropped', docSchema, () => ({
          value: { n: 2 },
          result: undefined,
        }));
        expect(await store.claim(team, 'digest:x', { now: new Date(), staleMs: 3_600_000 })).toBe(true);
      }

      await store.deleteWorkspace('T_A', { keepDocuments: ['kept'] });
      expect(await store.listRuns('T_A')).toEqual([]);
      expect(await store.getCompanies('T_A', 'run-1')).toBeNull();
      expect(await store.getSettings('T_A')).toEqual({});
      expect(await store.getDocument('T_A', 'dropped', docSchema)).toBeUndefined();
      expect(await store.getDocument('T_A', 'kept', docSchema)).toEqual({ n: 1 });
      expect(await rawKeys('%t:T_A:co:%')).toEqual([]);
      // The claim went too: the action can be claimed again.
      expect(await store.claim('T_A', 'digest:x', { now: new Date(), staleMs: 3_600_000 })).toBe(true);

      await store.deleteWorkspace('T_A');
      expect(await store.getDocument('T_A', 'kept', docSchema)).toBeUndefined();
      // T_AB starts with "T_A" and `_` is a LIKE wildcard: neither makes it part of T_A.
      expect((await store.listRuns('T_AB')).map((r) => r.run_id)).toEqual(['run-1']);
      expect(await store.getCompanies('T_AB', 'run-1')).toHaveLength(10_001);
      expect((await store.getSettings('T_AB')).timezone?.value).toBe('Asia/Tokyo');
      expect(await store.getDocument('T_AB', 'dropped', docSchema)).toEqual({ n: 2 });
      expect(await store.claim('T_AB', 'digest:x', { now: new Date(), staleMs: 3_600_000 })).toBe(false);
      // The workspace can store again afterwards.
      await store.saveRun('T_A', record(makeRun('run-2', '2026-11-03T00:00:00.000Z', 3)));
      expect((await store.listRuns('T_A')).map((r) => r.run_id)).toEqual(['run-2']);
    });
  });

  describe('health', () => {
    it('ping succeeds on a working store and fails after close', async () => {
      const store = await open();
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      expect((await rejection(() => store.ping())).code).toBe('store_unavailable');
      expect((await rejection(() => store.listRuns('T1'))).code).toBe('store_unavailable');
    });
  });
}
