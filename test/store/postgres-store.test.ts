/**
 * The PostgreSQL store against a real server (TEST_DATABASE_URL): the store contract, migrations
 * from several starting processes at once, damaged records, and the URL check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresStore, MIGRATIONS } from '../../src/store/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { adminQuery, createSchema, dropSchema, postgresTitle, skipPostgres } from '../helpers/postgres.js';
import { makeRun, record, rejection, storeContract } from './contract.js';

let schema: string;
let url: string;
const open: Store[] = [];

async function openStore(): Promise<Store> {
  const store = await createPostgresStore({ url, poolSize: 4 });
  open.push(store);
  return store;
}

async function rawKeys(like: string): Promise<string[]> {
  const rows = await adminQuery<{ key: string }>(
    'SELECT key FROM records WHERE key LIKE $1 ORDER BY key',
    [like],
    schema,
  );
  return rows.map((r) => r.key);
}

describe.skipIf(skipPostgres)(postgresTitle('PostgreSQL store'), () => {
  beforeEach(async () => {
    ({ schema, url } = await createSchema());
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close().catch(() => undefined);
    await dropSchema(schema);
  });

  describe('contract', () => {
    storeContract({
      kind: 'postgres',
      open: openStore,
      rawKeys,
      rawCopy: async (from, to) => {
        await adminQuery(
          'INSERT INTO records(key, value) SELECT $1, value FROM records WHERE key = $2',
          [to, from],
          schema,
        );
      },
      rawWrite: async (key, json) => {
        await adminQuery('UPDATE records SET value = $1 WHERE key = $2', [json, key], schema);
      },
    });
  });

  it('migrates once when five processes start at the same moment, and again is a no-op', async () => {
    const stores = await Promise.all(Array.from({ length: 5 }, () => openStore()));
    const versions = await adminQuery<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
      [],
      schema,
    );
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await stores[0]?.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
    const again = await openStore();
    expect((await again.listRuns('T1')).map((r) => r.run_id)).toEqual(['run-1']);
  });

  it('upgrades a database left at the first schema version, keeping its records', async () => {
    const [first] = MIGRATIONS;
    if (!first) throw new Error('no migrations');
    await adminQuery(
      'CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      [],
      schema,
    );
    await adminQuery(first.sql, [], schema);
    await adminQuery('INSERT INTO schema_migrations (version, name) VALUES (1, $1)', [first.name], schema);
    await adminQuery(`INSERT INTO records (key, value) VALUES ('workspaces', '["T9"]')`, [], schema);

    const store = await openStore();
    expect(await store.listWorkspaces()).toEqual(['T9']);
    const versions = await adminQuery<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
      [],
      schema,
    );
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('refuses a database migrated by a newer version of the app', async () => {
    await (await openStore()).close();
    await adminQuery(
      "INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')",
      [],
      schema,
    );
    const error = await rejection(() => createPostgresStore({ url }));
    expect(error.code).toBe('store_unavailable');
    expect(error.message).toContain('newer than this app knows');
  });

  it('reports a damaged index as store_unavailable and does not write over it', async () => {
    const store = await openStore();
    await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
    const damaged = JSON.stringify({ run_id: 42 });
    await adminQuery("UPDATE records SET value = $1 WHERE key = 't:T1:runs'", [damaged], schema);
    expect((await rejection(() => store.listRuns('T1'))).code).toBe('store_unavailable');
    const save = rejection(() => store.saveRun('T1', record(makeRun('run-2', '2026-11-03T00:00:00Z', 1))));
    expect((await save).code).toBe('store_unavailable');
    expect(await adminQuery("SELECT value FROM records WHERE key = 't:T1:runs'", [], schema)).toEqual([
      { value: damaged },
    ]);
    expect(await rawKeys('%:run-2:%')).toEqual([]);
  });

  it('leaves a damaged index entry out, names it, keeps it on the next save, and deletes it', async () => {
    const store = await openStore();
    await store.saveRun('T1', record(makeRun('run-1', '2026-11-02T00:00:00.000Z', 3)));
    await store.saveRun('T1', record(makeRun('run-2', '2026-11-03T00:00:00.000Z', 2)));
    const [row] = await adminQuery("SELECT value FROM records WHERE key = 't:T1:runs'", [], schema);
    const stored = JSON.parse(String((row as { value: unknown }).value)) as Array<{
      run_id: string;
      headline: { credits: unknown };
    }>;
    const broken = stored.find((e) => e.run_id === 'run-2');
    if (!broken) throw new Error('run-2 is not in the index');
    broken.headline.credits = null;
    await adminQuery(
      "UPDATE records SET value = $1 WHERE key = 't:T1:runs'",
      [JSON.stringify(stored)],
      schema,
    );

    expect((await store.listRuns('T1')).map((r) => r.run_id)).toEqual(['run-1']);
    expect(await store.listDamaged('T1')).toEqual([{ run_id: 'run-2', record: 'index entry' }]);
    await store.saveRun('T1', record(makeRun('run-3', '2026-11-04T00:00:00.000Z', 1)));
    expect((await store.listRuns('T1')).map((r) => r.run_id)).toEqual(['run-3', 'run-1']);
    expect(await store.listDamaged('T1')).toEqual([{ run_id: 'run-2', record: 'index entry' }]);
    expect((await store.deleteRun('T1', 'run-2'))?.run_id).toBe('run-2');
    expect(await store.listDamaged('T1')).toEqual([]);
    expect(await rawKeys('%:run-2:%')).toEqual([]);
  });

  it('fails to open, as store_unavailable, when the server does not answer', async () => {
    const error = await rejection(() =>
      createPostgresStore({ url: 'postgres://nobody@127.0.0.1:1/none?connect_timeout=2' }),
    );
    expect(error.code).toBe('store_unavailable');
  });
});

describe('PostgreSQL store URL', () => {
  it('must be postgres:// or postgresql://', async () => {
    expect((await rejection(() => createPostgresStore({ url: 'mysql://db/apollo' }))).code).toBe(
      'config_invalid',
    );
  });
});
