/**
 * The embedded store: one SQLite file through better-sqlite3 (which bundles a SQLite without the
 * WAL corruption bug of 3.44.2). The table and its values keep the layout keyv + @keyv/sqlite wrote
 * (`keyv(key, value)`, keys prefixed `keyv:`, values `{"value": …}`), so files written before read
 * back, and claims keep their `claim:` rows. A transaction is `BEGIN IMMEDIATE`: the file's write
 * lock is held from the read to the commit, so read-modify-writes are atomic even across processes.
 *
 * keyv itself is gone from this path: it has no transactions, and @keyv/sqlite loads the old
 * `sqlite3` driver unconditionally (its constructor replaces any `connect` given to it).
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import type { Backend, Write } from './backend.js';
import { createKvStore } from './kv-store.js';
import type { Store } from './store.js';

export interface SqliteStoreOptions {
  /** `sqlite://path/to/file.sqlite` or `sqlite://:memory:`. */
  url: string;
  /**
   * For the app process: hold a lock beside the file for as long as the store is open, so a second
   * app process on the same file refuses to start (a schedule or an alert evaluated in two places
   * needs the PostgreSQL store). Tools that only read or write data do not ask for it.
   */
  exclusive?: boolean;
  onError?: (error: unknown) => void;
}

const NAMESPACE = 'keyv:';
const BUSY_TIMEOUT_MS = 10_000;

export function sqlitePath(url: string): string {
  if (!url.startsWith('sqlite://')) {
    throw new AppError('config_invalid', 'STORE_URL must start with sqlite:// (got a different scheme).');
  }
  return url.slice('sqlite://'.length);
}

function unwrap(text: string): unknown {
  const envelope: unknown = JSON.parse(text);
  // A row without keyv's { value } envelope cannot be read: null makes the reader report damage.
  if (typeof envelope !== 'object' || envelope === null || !('value' in envelope)) return null;
  return envelope.value;
}

const wrap = (json: string) => `{"value":${json}}`;

/** Takes the app lock beside `path`, or throws the message that tells the user what to do. */
function lockForApp(path: string): Database.Database {
  const lockPath = `${path}.app-lock`;
  const lock = new Database(lockPath);
  try {
    lock.pragma('busy_timeout = 0');
    // Held until this connection closes; the operating system drops it when the process dies.
    lock.exec('BEGIN EXCLUSIVE');
    return lock;
  } catch (error) {
    lock.close();
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY')) {
      throw new AppError(
        'config_invalid',
        `Another apollo-dashboard process is already using ${path}. The SQLite store serves one app ` +
          'process; to run several replicas, set STORE_URL to a PostgreSQL database ' +
          '(postgres://…, see docs/postgres.md).',
      );
    }
    throw error;
  }
}

export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const path = sqlitePath(options.url);
  const memory = path === ':memory:' || path === '';
  let db: Database.Database;
  let lock: Database.Database | undefined;
  try {
    if (!memory) mkdirSync(dirname(path), { recursive: true });
    if (options.exclusive && !memory) lock = lockForApp(path);
    db = new Database(memory ? ':memory:' : path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets readers run while a write is in progress.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
  } catch (error) {
    lock?.close();
    if (error instanceof AppError) throw error;
    throw new AppError('store_unavailable', 'The store could not open the database.', { cause: error });
  }

  const select = db.prepare<[string], { value: string }>('SELECT value FROM keyv WHERE key = ?');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO keyv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM keyv WHERE key = ?');
  const keysWithPrefix = db.prepare<[number, string], { key: string }>(
    'SELECT key FROM keyv WHERE substr(key, 1, ?) = ?',
  );

  const apply = (writes: readonly Write[]) => {
    for (const [key, json] of writes) {
      if (json === null) remove.run(NAMESPACE + key);
      else upsert.run(NAMESPACE + key, wrap(json));
    }
  };
  const readNow = (key: string) => {
    const row = select.get(NAMESPACE + key);
    return row === undefined ? undefined : unwrap(row.value);
  };

  // Synchronous work wrapped in a promise, so a failure becomes a rejection like on PostgreSQL.
  const run = async <T>(work: () => T): Promise<T> => work();

  const backend: Backend = {
    kind: 'sqlite',
    getMany: (keys) => run(() => db.transaction(() => keys.map(readNow))()),
    transaction: ({ before = [], read, decide }) =>
      run(() =>
        db
          .transaction(() => {
            apply(before);
            const { writes, result } = decide(read.map(readNow));
            apply(writes);
            return result;
          })
          .immediate(),
      ),
    claim: (key, { now, staleMs }) =>
      run(() =>
        db
          .transaction(() => {
            const row = select.get(`claim:${key}`);
            if (row) {
              const at = Date.parse((JSON.parse(row.value) as { at?: string }).at ?? '');
              if (Number.isFinite(at) && now.getTime() - at < staleMs) return false;
            }
            upsert.run(`claim:${key}`, JSON.stringify({ at: now.toISOString() }));
            return true;
          })
          .immediate(),
      ),
    release: (key) =>
      run(() => {
        remove.run(`claim:${key}`);
      }),
    runDataKeys: () =>
      run(() =>
        db
          .prepare<[], { key: string; bytes: number | null }>(
            `SELECT key, length(CAST(value AS BLOB)) AS bytes FROM keyv WHERE key LIKE '${NAMESPACE}t:%:agg:%' OR key LIKE '${NAMESPACE}t:%:co:%'`,
          )
          .all()
          .map((r) => ({ key: r.key.slice(NAMESPACE.length), bytes: r.bytes ?? 0 })),
      ),
    deletePrefix: (prefix, { keep }) =>
      run(() =>
        db
          .transaction(() => {
            const kept = new Set(keep.map((k) => NAMESPACE + k));
            // substr, not LIKE: `_` and `%` in a team id are no wildcards.
            for (const p of [NAMESPACE + prefix, `claim:${prefix}`]) {
              for (const { key } of keysWithPrefix.all(p.length, p)) if (!kept.has(key)) remove.run(key);
            }
          })
          .immediate(),
      ),
    ping: () =>
      run(() => {
        select.get(`${NAMESPACE}health:ping`);
      }),
    close: async () => {
      if (db.open) db.close();
      if (lock?.open) lock.close();
    },
  };
  return createKvStore(backend);
}
