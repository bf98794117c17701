/**
 * What the app keeps, per workspace (Slack team id). One implementation on two databases
 * (kv-store.ts): SQLite (sqlite-store.ts, embedded) and PostgreSQL (postgres-store.ts, replicas).
 */
import type { z } from 'zod';
import type { RunAggregate } from '../domain/aggregate.js';
import type { Company, Run } from '../domain/model.js';
import type { RunMeta } from '../domain/run-meta.js';
import type { StoredSettings } from '../domain/settings.js';
import type { EncodedRun } from './run-encoding.js';

export interface SaveRunResult {
  meta: RunMeta;
  /** The run this upload replaced (same run_id), if any. */
  replaced: RunMeta | null;
}

/** A stored record that failed validation when read: it is left out, named, and can be deleted. */
export interface DamagedRecord {
  /** The run it belongs to, when that much could be read. */
  run_id: string | null;
  /** `index entry`, `aggregate`, `settings`, `document`… */
  record: string;
  /** For a `document`: its name (e.g. `campaigns-page-3`). */
  document?: string;
}

export interface Store {
  /** Which database holds the data, for /healthz. */
  readonly kind: 'sqlite' | 'postgres';
  /** Stores a run, its aggregate and its index entry in one transaction. */
  saveRun(team: string, input: { run: Run; aggregate: RunAggregate; meta: RunMeta }): Promise<SaveRunResult>;
  /** The same, for a run already encoded (run-encoding.ts; by the upload lane's worker thread). */
  saveEncodedRun(team: string, encoded: EncodedRun): Promise<SaveRunResult>;
  /** Newest first. Index entries that fail validation are left out (see `listDamaged`). */
  listRuns(team: string): Promise<RunMeta[]>;
  /**
   * The workspace's damaged records found so far: index entries that fail validation, and aggregates
   * that failed when read (those runs are left out of dashboards), which `deleteRun` removes; a
   * settings record that fails validation (`{ run_id: null, record: 'settings' }`), which
   * `deleteDamagedSettings` removes; documents met damaged by `getDocuments` with `skipDamaged`
   * (`{ run_id: null, record: 'document', document }`), which `deleteDamagedDocument` removes.
   */
  listDamaged(team: string): Promise<DamagedRecord[]>;
  getAggregates(team: string, runIds: readonly string[]): Promise<RunAggregate[]>;
  getCompanies(team: string, runId: string): Promise<Company[] | null>;
  deleteRun(team: string, runId: string): Promise<RunMeta | null>;
  /** The stored settings; `{}` (the defaults) when none are stored or the record is damaged (see `listDamaged`). */
  getSettings(team: string): Promise<StoredSettings>;
  /**
   * Applies `change` to the current settings and stores the result, atomically across processes.
   * A damaged settings record is never written over: `store_unavailable` until `deleteDamagedSettings`.
   */
  updateSettings(team: string, change: (current: StoredSettings) => StoredSettings): Promise<StoredSettings>;
  /** Deletes the settings record when it is damaged (true); a readable or absent one stays (false). */
  deleteDamagedSettings(team: string): Promise<boolean>;
  /**
   * A named per-workspace document (campaign updates, alert state, digest state…), validated with
   * `schema` when read back. `updateDocument` runs `change` on the current value inside a database
   * transaction that locks the document, so concurrent updates from any process are serialised and
   * none is lost. `change` must be synchronous and free of side effects beyond its result.
   */
  getDocument<T>(team: string, name: string, schema: z.ZodType<T>): Promise<T | undefined>;
  updateDocument<T, R = void>(
    team: string,
    name: string,
    schema: z.ZodType<T>,
    change: (current: T | undefined) => { value: T; result: R },
  ): Promise<{ value: T; result: R }>;
  /**
   * Several named documents at once (each validated with `schema`), `undefined` where absent. With
   * `skipDamaged`, a document that fails validation reads as `undefined` too, and is named by
   * `listDamaged` (as `document`) while it stays damaged; otherwise it fails the read.
   */
  getDocuments<T>(
    team: string,
    names: readonly string[],
    schema: z.ZodType<T>,
    options?: { skipDamaged?: boolean },
  ): Promise<Array<T | undefined>>;
  /** Deletes the document when it is stored and fails `schema` (true); a readable or absent one stays (false). */
  deleteDamagedDocument<T>(team: string, name: string, schema: z.ZodType<T>): Promise<boolean>;
  /**
   * `updateDocument` for several documents in one transaction: all of `names` are locked and read,
   * `change` returns a value per name (in the same order): a value to store, `null` to delete the
   * document, `undefined` to leave it as it is. Every write is kept, or none.
   */
  updateDocuments<T, R = void>(
    team: string,
    names: readonly string[],
    schema: z.ZodType<T>,
    change: (current: ReadonlyArray<T | undefined>) => {
      values: ReadonlyArray<T | null | undefined>;
      result: R;
    },
  ): Promise<R>;
  /**
   * Claims a one-time action (e.g. one scheduled digest) atomically in the database, across
   * processes: true for exactly one caller. A claim older than `staleMs` may be taken over (its
   * holder died); PostgreSQL measures that age with the database's clock, SQLite with `now`; `release` gives it back after a failure so a retry can claim it.
   */
  claim(team: string, name: string, options: { now: Date; staleMs: number }): Promise<boolean>;
  release(team: string, name: string): Promise<void>;
  /**
   * Finds and removes run data no index entry points to (chunks an interrupted upload left behind,
   * e.g. in files written before uploads became one transaction). Returns what was removed.
   */
  reclaimOrphans(): Promise<{ records: number; bytes: number }>;
  /**
   * Deletes everything stored for the workspace (runs, settings, documents, claims) except the
   * documents named in `keepDocuments`, in one transaction. It may stay in `listWorkspaces` (with
   * nothing stored, it reads as empty everywhere).
   */
  deleteWorkspace(team: string, options?: { keepDocuments?: readonly string[] }): Promise<void>;
  /** Every workspace that has stored anything, for jobs that run per workspace. */
  listWorkspaces(): Promise<string[]>;
  /** Throws when the store cannot be read. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
