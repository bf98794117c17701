/**
 * The PostgreSQL store, for several replicas on one database. Pooled connections (node-postgres).
 * The schema is created and migrated by the app at start-up under a transaction-scoped advisory
 * lock, so replicas starting together migrate once. Every read-modify-write is one transaction that
 * first takes an advisory lock per key it reads (held to commit; also covers keys not yet written,
 * which `SELECT … FOR UPDATE` cannot lock), so concurrent writers in any process queue up and none
 * is lost. Claims are one atomic statement on the database's clock.
 */

import pg from 'pg';
import { AppError } from '../errors.js';
import type { Backend, Write } from './backend.js';
import { createKvStore } from './kv-store.js';
import type { Store } from './store.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (or `postgresql://`); `?options=-c search_path=…` picks a schema. */
  url: string;
  /** Connections per process. */
  poolSize?: number;
  onError?: (error: unknown) => void;
}

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

/** Every schema change, in order; a version is never edited once released, only added to. */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'records and claims',
    sql: `
      CREATE TABLE records (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE claims (key text PRIMARY KEY, claimed_at timestamptz NOT NULL);
    `,
  },
  {
    // Reading a year's aggregates decompresses them: lz4 does that several times faster than the
    // default pglz. PostgreSQL 14 or newer built with lz4; elsewhere the records stay on pglz.
    version: 2,
    name: 'lz4 compression for records',
    sql: `
      DO $$
      BEGIN
        IF current_setting('server_version_num')::int >= 140000 THEN
          EXECUTE 'ALTER TABLE records ALTER COLUMN value SET COMPRESSION lz4';
        END IF;
      EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
        NULL;
      END $$;
    `,
  },
];

/** Any fixed number: the advisory lock every starting replica takes to migrate. */
const MIGRATION_LOCK = 0x61706f6c; // "apol"

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

/** The schema's version, read without a lock (0 before the first migration). */
async function schemaVersion(pool: pg.Pool): Promise<number> {
  try {
    const { rows } = await pool.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM schema_migrations',
    );
    return rows[0]?.v ?? 0;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 0; // undefined_table: a new database
    throw error;
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  // Up to date (every start but the first after an upgrade): one query, no lock.
  if ((await schemaVersion(pool)) === LATEST) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    if (newest > LATEST) {
      throw new AppError(
        'store_unavailable',
        `The database schema (version ${newest}) is newer than this app knows (${LATEST}): upgrade the app.`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function applyWrites(client: pg.PoolClient, writes: readonly Write[]): Promise<void> {
  // The last write of a key wins, as if applied in order.
  const last = new Map<string, string | null>();
  for (const [key, json] of writes) {
    last.delete(key);
    last.set(key, json);
  }
  const upsertKeys: string[] = [];
  const upsertValues: string[] = [];
  const deleteKeys: string[] = [];
  for (const [key, json] of last) {
    if (json === null) deleteKeys.push(key);
    else {
      upsertKeys.push(key);
      upsertValues.push(json);
    }
  }
  if (upsertKeys.length > 0) {
    await client.query(
      `INSERT INTO records (key, value) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [upsertKeys, upsertValues],
    );
  }
  if (deleteKeys.length > 0)
    await client.query('DELETE FROM records WHERE key = ANY($1::text[])', [deleteKeys]);
}

function parseAll(keys: readonly string[], rows: Array<{ key: string; value: string }>): unknown[] {
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  return keys.map((key) => {
    const text = byKey.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  });
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  if (!isPostgresUrl(options.url)) {
    throw new AppError('config_invalid', 'STORE_URL must start with postgres:// or postgresql://.');
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection dropped by the server is reported here; the pool replaces it on next use.
  pool.on('error', (error) => options.onError?.(error));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof AppError) throw error;
    throw new AppError('store_unavailable', 'The store could not open the database.', { cause: error });
  }

  const backend: Backend = {
    kind: 'postgres',
    getMany: async (keys) => {
      if (keys.length === 0) return [];
      const { rows } = await pool.query<{ key: string; value: string }>(
        'SELECT key, value FROM records WHERE key = ANY($1::text[])',
        [keys],
      );
      return parseAll(keys, rows);
    },
    transaction: async ({ before = [], read, decide }) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // Sorted, so two transactions locking the same keys cannot deadlock.
        for (const key of [...new Set(read)].sort()) {
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
        }
        await applyWrites(client, before);
        const { rows } = await client.query<{ key: string; value: string }>(
          'SELECT key, value FROM records WHERE key = ANY($1::text[])',
          [read],
        );
        const { writes, result } = decide(parseAll(read, rows));
        await applyWrites(client, writes);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    claim: async (key, { staleMs }) => {
      // Inserted, or taken over when the holder's claim is older than staleMs by the database's clock.
      const { rowCount } = await pool.query(
        `INSERT INTO claims (key, claimed_at) VALUES ($1, now())
         ON CONFLICT (key) DO UPDATE SET claimed_at = now()
         WHERE claims.claimed_at <= now() - make_interval(secs => $2::double precision / 1000)`,
        [key, staleMs],
      );
      return rowCount === 1;
    },
    release: async (key) => {
      await pool.query('DELETE FROM claims WHERE key = $1', [key]);
    },
    runDataKeys: async () => {
      const { rows } = await pool.query<{ key: string; bytes: number }>(
        "SELECT key, octet_length(value)::int AS bytes FROM records WHERE key LIKE 't:%:agg:%' OR key LIKE 't:%:co:%'",
      );
      return rows.map((r) => ({ key: r.key, bytes: Number(r.bytes) }));
    },
    deletePrefix: async (prefix, { keep, lock }) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const key of [...new Set(lock)].sort()) {
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
        }
        // left(), not LIKE: `_` and `%` in a team id are no wildcards.
        await client.query(
          'DELETE FROM records WHERE left(key, length($1)) = $1 AND NOT (key = ANY($2::text[]))',
          [prefix, [...keep]],
        );
        await client.query('DELETE FROM claims WHERE left(key, length($1)) = $1', [prefix]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await pool.query('SELECT 1 FROM records LIMIT 1');
    },
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
  return createKvStore(backend);
}
