/**
 * What a database gives the store (kv-store.ts): keyed JSON records, one transaction that reads
 * records with a lock held in the database (so every process sees it) and writes the outcome, and
 * claims. Two implementations: sqlite-store.ts (embedded) and postgres-store.ts.
 */

/** A write in a transaction: JSON text to store under the key, or null to delete the key. */
export type Write = readonly [key: string, json: string | null];

export interface TransactionWork<R> {
  /** Keys written first, in the same transaction (fresh keys nobody else reads yet, e.g. run data). */
  before?: readonly Write[];
  /** Keys read under a lock that other writers of the same key wait for, in any process. */
  read: readonly string[];
  /**
   * Decides from the values read (parsed JSON; `undefined` when absent) what to write. Synchronous,
   * so nothing else runs between the read and the write; throwing rolls everything back.
   */
  decide: (current: readonly unknown[]) => { writes: readonly Write[]; result: R };
}

export interface Backend {
  readonly kind: 'sqlite' | 'postgres';
  /** Parsed values in the order asked; `undefined` where absent. A record that cannot be read throws. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  /** Reads, decides and writes in one transaction (see TransactionWork). */
  transaction<R>(work: TransactionWork<R>): Promise<R>;
  /**
   * Claims `key` for exactly one caller. A claim older than `staleMs` may be taken over. PostgreSQL
   * measures the age with the database's clock; SQLite (one host) with `now`.
   */
  claim(key: string, options: { now: Date; staleMs: number }): Promise<boolean>;
  release(key: string): Promise<void>;
  /** Every key of run data (aggregates, company chunks: `t:<team>:agg:…`, `t:<team>:co:…`) and its stored size. */
  runDataKeys(): Promise<Array<{ key: string; bytes: number }>>;
  /**
   * Deletes every record and claim whose key starts with `prefix`, except the records in `keep`, in
   * one transaction that holds the locks of `lock` (so a writer of those keys waits, in any process).
   */
  deletePrefix(prefix: string, options: { keep: readonly string[]; lock: readonly string[] }): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
