/**
 * Campaign updates in the store (domain/campaign-storage.ts, services/campaign-updates.ts) on a real
 * SQLite file, and on PostgreSQL when TEST_DATABASE_URL is set: the same updates, order, answers and
 * undo as the single document of earlier versions (whose pure functions are the reference here),
 * batches across pages and months, concurrent writers, and the move of an earlier document.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_PAGE_SIZE } from '../../../src/domain/campaign-storage.js';
import {
  appendUpdates,
  type CampaignUpdate,
  campaignDateRange,
  lastUpdateBy,
  removeUpdate,
  totalsByChannel,
  toUpdate,
} from '../../../src/domain/campaigns.js';
import { CAMPAIGNS, type Campaign } from '../../../src/domain/model.js';
import { DEFAULT_PERIOD, selectPeriod } from '../../../src/domain/period.js';
import {
  appendCampaignUpdates,
  lastCampaignUpdateBy,
  loadCampaignUpdates,
  removeCampaignUpdate,
  repairCampaignUpdates,
} from '../../../src/services/campaign-updates.js';
import { buildDashboard, storeDashboardSource } from '../../../src/services/dashboard.js';
import { createPostgresStore } from '../../../src/store/postgres-store.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { createSchema, dropSchema, postgresTitle, skipPostgres } from '../../helpers/postgres.js';
import { sql } from '../../helpers/sqlite-file.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const TZ = 'UTC';
const period = selectPeriod(DEFAULT_PERIOD, [], { now: NOW, timeZone: TZ }).period;
const range = campaignDateRange(period, { timeZone: TZ, key: period.key });

let serial = 0;
/** A deterministic mix: three channels, dates over two months, a `set` now and then, three people. */
function makeUpdates(n: number, seed: number, user?: string): CampaignUpdate[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i * 7 + seed;
    const channel = CAMPAIGNS[k % 3] as Campaign;
    // 2026-10-01 … 2026-11-24: two months, the last 7 days inside the default period.
    const day = 1 + (k % 55);
    const date =
      day <= 31 ? `2026-10-${String(day).padStart(2, '0')}` : `2026-11-${String(day - 31).padStart(2, '0')}`;
    const set = k % 11 === 0;
    serial += 1;
    return toUpdate(
      {
        channel,
        mode: set ? 'set' : 'increment',
        counts: set
          ? { sent: 500 + (k % 13), responded: k % 5 }
          : { sent: 10 + (k % 9), opened: k % 4, converted: k % 2 },
        date,
      },
      { id: `u-${seed}-${serial}`, user: user ?? `U${k % 3}`, at: NOW.toISOString(), source: 'api' },
    );
  });
}

interface Target {
  name: string;
  skip: boolean;
  open(): Promise<{ store: Store; again: () => Promise<Store>; file?: string }>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const targets: Target[] = [
  {
    name: 'SQLite file',
    skip: false,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'campaign-storage-'));
      const file = join(dir, 'store.sqlite');
      const stores: Store[] = [];
      const again = async () => {
        const s = await createSqliteStore({ url: `sqlite://${file}` });
        stores.push(s);
        return s;
      };
      cleanups.push(async () => {
        for (const s of stores) await s.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return { store: await again(), again, file };
    },
  },
  {
    name: postgresTitle('PostgreSQL'),
    skip: skipPostgres,
    async open() {
      const { schema, url } = await createSchema();
      const stores: Store[] = [];
      const again = async () => {
        const s = await createPostgresStore({ url, poolSize: 4 });
        stores.push(s);
        return s;
      };
      cleanups.push(async () => {
        for (const s of stores) await s.close();
        await dropSchema(schema);
      });
      return { store: await again(), again };
    },
  },
];

for (const target of targets) {
  describe.skipIf(target.skip)(`campaign updates in the store (${target.name})`, () => {
    it('keeps every update in recorded order across pages and months, with the answers of the single document', async () => {
      const { store } = await target.open();
      let reference: CampaignUpdate[] = [];
      // Batches of 1,000, 1 and 999 updates, crossing page boundaries (1,000 positions a page).
      for (const [i, size] of [1000, 1, 999, 700, 1000].entries()) {
        const added = makeUpdates(size, i * 101);
        const { result, totals } = await appendCampaignUpdates(store, 'T1', added, range);
        const expected = appendUpdates({ v: 1, updates: reference }, added);
        expect(result).toEqual(expected.result);
        reference = expected.value.updates;
        // The answer's period totals, from the months alone, equal the fold over every update.
        expect(totals).toEqual(totalsByChannel(reference, range));
        expect(totals.Email.sent).toBeGreaterThan(0);
      }
      expect(reference.length).toBeGreaterThan(3 * CAMPAIGN_PAGE_SIZE);
      expect(await loadCampaignUpdates(store, 'T1')).toEqual(reference);
      expect(await loadCampaignUpdates(store, 'T2')).toEqual([]);
    });

    it('undoes a person’s updates newest first, refolding the date, as the single document did', async () => {
      const { store } = await target.open();
      let reference: CampaignUpdate[] = [];
      for (const [i, size] of [900, 300, 500].entries()) {
        const added = makeUpdates(size, i * 13);
        await appendCampaignUpdates(store, 'T1', added, range);
        reference = [...reference, ...added];
      }
      // U1's last three, one at a time; then one in the middle by id; then someone else's refused.
      for (let i = 0; i < 3; i++) {
        const last = lastUpdateBy({ v: 1, updates: reference }, 'U1');
        expect(last).not.toBeNull();
        expect(await lastCampaignUpdateBy(store, 'T1', 'U1')).toEqual(last);
        const expected = removeUpdate({ v: 1, updates: reference }, last?.id ?? '', 'U1');
        expect(await removeCampaignUpdate(store, 'T1', last?.id ?? '', 'U1')).toEqual(expected.result);
        reference = expected.value.updates;
      }
      const middle = reference.find((u, i) => i > 400 && u.user === 'U2' && u.mode === 'set');
      if (!middle) throw new Error('the fixture has a set by U2 after position 400');
      const expected = removeUpdate({ v: 1, updates: reference }, middle.id, 'U2');
      expect(await removeCampaignUpdate(store, 'T1', middle.id, 'U2')).toEqual(expected.result);
      reference = expected.value.updates;
      expect(await removeCampaignUpdate(store, 'T1', middle.id, 'U2')).toEqual({
        removed: null,
        after: null,
      });
      const theirs = reference.find((u) => u.user === 'U0');
      expect(await removeCampaignUpdate(store, 'T1', theirs?.id ?? '', 'U1')).toEqual({
        removed: null,
        after: null,
      });
      expect(await lastCampaignUpdateBy(store, 'T1', 'U9')).toBeNull();
      expect(await loadCampaignUpdates(store, 'T1')).toEqual(reference);
      // A later batch's answers fold on the refolded dates.
      const added = makeUpdates(50, 5);
      const { result } = await appendCampaignUpdates(store, 'T1', added, range);
      expect(result).toEqual(appendUpdates({ v: 1, updates: reference }, added).result);
    });

    it('loses nothing when two stores write batches to the same dates at once', async () => {
      const { store, again } = await target.open();
      const other = await again();
      const batches = Array.from({ length: 12 }, (_, i) => makeUpdates(150 + i * 10, i * 3));
      await Promise.all(batches.map((b, i) => appendCampaignUpdates(i % 2 ? store : other, 'T1', b, range)));
      const stored = await loadCampaignUpdates(store, 'T1');
      const all = batches.flat();
      expect(stored).toHaveLength(all.length);
      expect(new Set(stored.map((u) => u.id))).toEqual(new Set(all.map((u) => u.id)));
      // Each batch stays together and in its own order (a batch is one transaction).
      for (const b of batches) {
        const at = stored.findIndex((u) => u.id === b[0]?.id);
        expect(stored.slice(at, at + b.length)).toEqual(b);
      }
      // The stored totals are those of the stored order.
      const { result } = await appendCampaignUpdates(store, 'T1', makeUpdates(30, 99), range);
      expect(result).toEqual(
        appendUpdates(
          { v: 1, updates: stored },
          result.map((r) => r.update),
        ).result,
      );
    });
  });
}

describe('campaign updates stored by earlier versions (one document, SQLite file)', () => {
  it('are moved on the first write, with the dashboard unchanged, and their undo still works', async () => {
    const target = targets[0] as Target;
    const { store, file } = await target.open();
    if (!file) throw new Error('a file');
    const legacy = makeUpdates(2500, 7, undefined);
    // Written as the earlier version stored it: one keyv row holding { v: 1, updates }.
    await store.updateSettings('T1', (s) => s);
    sql(
      file,
      'INSERT INTO keyv(key, value) VALUES(?, ?)',
      'keyv:t:T1:doc:campaigns',
      JSON.stringify({ value: { v: 1, updates: legacy } }),
    );
    const dashboard = async () =>
      buildDashboard({
        source: await storeDashboardSource(store, 'T1'),
        period: DEFAULT_PERIOD,
        now: NOW,
        defaultTimeZone: TZ,
      });
    const before = await dashboard();
    expect(await loadCampaignUpdates(store, 'T1')).toEqual(legacy);
    expect(before.campaign_performance.totals.sent).toBeGreaterThan(0);
    expect(before.campaign_performance.updates).toBeGreaterThan(0);

    // The first write moves them (and the old document is gone); an empty batch writes nothing new.
    const added = makeUpdates(10, 3);
    const { result } = await appendCampaignUpdates(store, 'T1', added, range);
    expect(result).toEqual(appendUpdates({ v: 1, updates: legacy }, added).result);
    expect(sql(file, "SELECT key FROM keyv WHERE key = 'keyv:t:T1:doc:campaigns'")).toEqual([]);
    expect(await loadCampaignUpdates(store, 'T1')).toEqual([...legacy, ...added]);
    // The dashboard equals the one computed from the same updates kept in one document.
    const after = await dashboard();
    sql(file, "DELETE FROM keyv WHERE key LIKE 'keyv:t:T1:doc:campaigns-%'");
    sql(
      file,
      'INSERT INTO keyv(key, value) VALUES(?, ?)',
      'keyv:t:T1:doc:campaigns',
      JSON.stringify({ value: { v: 1, updates: [...legacy, ...added] } }),
    );
    expect(await dashboard()).toEqual(after);
    // And before the batch: the dashboard of the legacy document alone is what it showed.
    sql(
      file,
      "UPDATE keyv SET value = ? WHERE key = 'keyv:t:T1:doc:campaigns'",
      JSON.stringify({ value: { v: 1, updates: legacy } }),
    );
    expect(await dashboard()).toEqual(before);

    // Undo of an update recorded before the move (the document is moved again first).
    const mine = lastUpdateBy({ v: 1, updates: legacy }, 'U2');
    expect(await lastCampaignUpdateBy(store, 'T1', 'U2')).toEqual(mine);
    const expected = removeUpdate({ v: 1, updates: legacy }, mine?.id ?? '', 'U2');
    expect(await removeCampaignUpdate(store, 'T1', mine?.id ?? '', 'U2')).toEqual(expected.result);
    expect(await loadCampaignUpdates(store, 'T1')).toEqual(expected.value.updates);
  });
});

describe('damaged campaign records (SQLite file)', () => {
  it('are left out of reads, named, and removed by the repair, which folds the rest again', async () => {
    const target = targets[0] as Target;
    const { store, file } = await target.open();
    if (!file) throw new Error('a file');
    const all = makeUpdates(2500, 5);
    for (let at = 0; at < all.length; at += 1000)
      await appendCampaignUpdates(store, 'T1', all.slice(at, at + 1000), range);
    // Page 1 holds positions 1,000 … 1,999; the November month holds the default period's totals.
    const damage = (name: string, value: unknown) =>
      sql(
        file,
        'UPDATE keyv SET value = ? WHERE key = ?',
        JSON.stringify({ value }),
        `keyv:t:T1:doc:${name}`,
      );
    await damage('campaigns-page-1', { kind: 'page', v: 1, at: [1000], updates: [{ id: 'x' }] });
    await damage('campaigns-month-2026-11', { kind: 'month', v: 1, days: 'gone' });
    const left = [...all.slice(0, 1000), ...all.slice(2000)];

    expect(await loadCampaignUpdates(store, 'T1')).toEqual(left);
    expect(await store.listDamaged('T1')).toEqual([
      { run_id: null, record: 'document', document: 'campaigns-page-1' },
    ]);
    const refused = await appendCampaignUpdates(store, 'T1', makeUpdates(1, 9), range).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain('campaigns-month-2026-11');
    expect(await loadCampaignUpdates(store, 'T1')).toEqual(left);

    const repair = await repairCampaignUpdates(store, 'T1');
    expect(repair).toEqual({ removed: ['campaigns-page-1', 'campaigns-month-2026-11'], indexDamaged: false });
    expect(await store.listDamaged('T1')).toEqual([]);
    expect(await loadCampaignUpdates(store, 'T1')).toEqual(left);
    // The months were folded again from the updates left: an empty batch answers their totals.
    const { totals } = await appendCampaignUpdates(store, 'T1', [], range);
    expect(totals).toEqual(totalsByChannel(left, range));
    expect(totals.Email.sent).toBeGreaterThan(0);
    // Undo still finds a person's last update (in page 2), and the next batch lands after position 2,499.
    const last = lastUpdateBy({ v: 1, updates: left }, 'U1');
    expect((await lastCampaignUpdateBy(store, 'T1', 'U1'))?.id).toBe(last?.id);
    const more = makeUpdates(3, 11);
    await appendCampaignUpdates(store, 'T1', more, range);
    expect(await loadCampaignUpdates(store, 'T1')).toEqual([...left, ...more]);
    expect(await repairCampaignUpdates(store, 'T1')).toEqual({ removed: [], indexDamaged: false });
  });

  it('leave a damaged index as it is, and say so', async () => {
    const target = targets[0] as Target;
    const { store, file } = await target.open();
    if (!file) throw new Error('a file');
    await appendCampaignUpdates(store, 'T1', makeUpdates(10, 1), range);
    const broken = JSON.stringify({ value: { kind: 'index', v: 1, next: -3 } });
    await sql(file, 'UPDATE keyv SET value = ? WHERE key = ?', broken, 'keyv:t:T1:doc:campaigns-index');
    expect(await loadCampaignUpdates(store, 'T1')).toEqual([]);
    expect(await store.listDamaged('T1')).toEqual([
      { run_id: null, record: 'document', document: 'campaigns-index' },
    ]);
    expect(await repairCampaignUpdates(store, 'T1')).toEqual({ removed: [], indexDamaged: true });
    expect(await sql(file, 'SELECT value FROM keyv WHERE key = ?', 'keyv:t:T1:doc:campaigns-index')).toEqual([
      { value: broken },
    ]);
  });
});
