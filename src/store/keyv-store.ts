/**
 * The store on keyv (SQLite by default). The only module that knows keys. keyv has no
 * compare-and-set, so every read-modify-write of a workspace's index or settings runs under a
 * per-workspace lock in this process; bulky data is written under fresh keys first and the
 * index write is the commit point, so a failed or interrupted upload leaves nothing visible.
 */

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { z } from 'zod';
import type { RunAggregate } from '../domain/aggregate.js';
import type { Company } from '../domain/model.js';
import type { RunMeta } from '../domain/run-meta.js';
import { sortRunsNewestFirst } from '../domain/run-meta.js';
import { storedSettingsSchema } from '../domain/settings.js';
import { AppError } from '../errors.js';
import { createSerializer } from '../serial.js';
import { encodeAggregate, readStoredAggregate } from './aggregate-codec.js';
import { companyChunkSchema, decodeCompanies, encodeCompanies } from './company-codec.js';
import { companiesSchema, type IndexEntry, indexSchema } from './schemas.js';
import type { SaveRunResult, Store } from './store.js';

const CHUNK = 10_000;
/** Chunks are written in columns (company-codec.ts); plain arrays of companies are still read. */
const storedCompaniesSchema = z.union([companyChunkSchema, companiesSchema]);

const keys = {
  index: (team: string) => `t:${team}:runs`,
  aggregate: (team: string, runId: string, gen: string) => `t:${team}:agg:${runId}:${gen}`,
  companies: (team: string, runId: string, gen: string, i: number) => `t:${team}:co:${runId}:${gen}:${i}`,
  settings: (team: string) => `t:${team}:settings`,
  document: (team: string, name: string) => `t:${team}:doc:${name}`,
  workspaces: () => 'workspaces',
  /** Claims live outside keyv's namespace: written with atomic SQL, never through keyv. */
  claim: (team: string, name: string) => `claim:t:${team}:${name}`,
  ping: () => 'health:ping',
};

function toMeta(entry: IndexEntry): RunMeta {
  const { gen: _gen, chunks: _chunks, ...meta } = entry;
  return meta;
}

export interface KeyvStoreOptions {
  /** `sqlite://path/to/file.sqlite` or `sqlite://:memory:`. */
  url: string;
  onError?: (error: unknown) => void;
}

function sqlitePath(url: string): string {
  if (!url.startsWith('sqlite://')) {
    throw new AppError('config_invalid', `STORE_URL must start with sqlite:// (got a different scheme).`);
  }
  return url.slice('sqlite://'.length);
}

export async function createKeyvStore(options: KeyvStoreOptions): Promise<Store> {
  const path = sqlitePath(options.url);
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  const adapter = new KeyvSqlite({ uri: options.url, busyTimeout: 10_000 });
  const keyv = new Keyv({
    store: adapter,
    throwOnErrors: true,
    serialize: (data) => JSON.stringify(data),
    deserialize: (text) => JSON.parse(text),
  });
  keyv.on('error', (error: unknown) => options.onError?.(error));
  const locks = createSerializer();
  const withLock = <T>(key: string, work: () => Promise<T>) => locks.run(key, work);

  async function guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('store_unavailable', `The store could not ${what}.`, { cause: error });
    }
  }

  async function read<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const damaged = () =>
      new AppError(
        'store_unavailable',
        `A stored record is damaged (${key.split(':').slice(2, 3).join('')}).`,
      );
    const raw: unknown = await keyv.get(key);
    if (raw === undefined) {
      // keyv reads a row without its { value } envelope (e.g. `null`) as absent: that is damage, not "none".
      if (await keyv.has(key)) throw damaged();
      return undefined;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw damaged();
    return parsed.data;
  }

  const workspacesSchema = z.array(z.string());
  const knownWorkspaces = new Set<string>();
  /** Records the workspace in the registry the first time this process writes for it. */
  async function registerWorkspace(team: string): Promise<void> {
    if (knownWorkspaces.has(team)) return;
    await withLock(keys.workspaces(), async () => {
      const list = (await read(keys.workspaces(), workspacesSchema)) ?? [];
      if (!list.includes(team)) await keyv.set(keys.workspaces(), [...list, team].sort());
    });
    knownWorkspaces.add(team);
  }

  async function readIndex(team: string): Promise<IndexEntry[]> {
    return (await read(keys.index(team), indexSchema)) ?? [];
  }

  async function dataKeys(team: string, entry: IndexEntry): Promise<string[]> {
    const out = [keys.aggregate(team, entry.run_id, entry.gen)];
    for (let i = 0; i < entry.chunks; i++) out.push(keys.companies(team, entry.run_id, entry.gen, i));
    return out;
  }

  // Connect and tune SQLite: WAL lets readers run while a write is in progress.
  await guard('open the database', async () => {
    await adapter.query('PRAGMA journal_mode=WAL');
    await adapter.query('PRAGMA synchronous=NORMAL');
  });

  return {
    saveRun: (team, { run, aggregate, meta }) =>
      guard('save the run', async (): Promise<SaveRunResult> => {
        const gen = randomUUID().slice(0, 8);
        const chunks = Math.ceil(run.companies.length / CHUNK);
        const written: string[] = [keys.aggregate(team, run.run_id, gen)];
        try {
          for (let i = 0; i < chunks; i++) written.push(keys.companies(team, run.run_id, gen, i));
          // Pipelined: each value is handed to SQLite (which writes on its own thread) before the next
          // chunk is encoded. Every write settles before any cleanup, so none can land after it.
          const failures: unknown[] = [];
          const writes: Promise<void>[] = [];
          for (const [i, key] of written.entries()) {
            const value =
              i === 0
                ? encodeAggregate(aggregate)
                : encodeCompanies(run.companies.slice((i - 1) * CHUNK, i * CHUNK));
            writes.push(
              keyv.set(key, value).then(
                () => undefined,
                (error: unknown) => void failures.push(error),
              ),
            );
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
          await Promise.all(writes);
          if (failures.length > 0) throw failures[0];
          const entry: IndexEntry = { ...meta, gen, chunks };
          await registerWorkspace(team);
          const replaced = await withLock(keys.index(team), async () => {
            const index = await readIndex(team);
            const old = index.find((e) => e.run_id === run.run_id) ?? null;
            const next = index.filter((e) => e.run_id !== run.run_id);
            next.push(entry);
            await keyv.set(keys.index(team), sortRunsNewestFirst(next));
            return old;
          });
          if (replaced) await keyv.deleteMany(await dataKeys(team, replaced));
          return { meta: toMeta(entry), replaced: replaced ? toMeta(replaced) : null };
        } catch (error) {
          // Nothing was committed: remove what this attempt wrote, best effort.
          await keyv.deleteMany(written).catch(() => undefined);
          throw error;
        }
      }),

    listRuns: (team) => guard('list runs', async () => (await readIndex(team)).map(toMeta)),

    getAggregates: (team, runIds) =>
      guard('read run aggregates', async () => {
        const index = await readIndex(team);
        const byId = new Map(index.map((e) => [e.run_id, e]));
        const wanted = runIds.map((id) => byId.get(id)).filter((e): e is IndexEntry => e !== undefined);
        if (wanted.length === 0) return [];
        const raw = await keyv.getMany(wanted.map((e) => keys.aggregate(team, e.run_id, e.gen)));
        return raw.map((value, i): RunAggregate => {
          const aggregate = readStoredAggregate(value);
          if (!aggregate) {
            throw new AppError(
              'store_unavailable',
              `The aggregate of run ${wanted[i]?.run_id} is missing or damaged.`,
            );
          }
          return aggregate;
        });
      }),

    getCompanies: (team, runId) =>
      guard('read companies', async () => {
        const entry = (await readIndex(team)).find((e) => e.run_id === runId);
        if (!entry) return null;
        const out: Company[] = [];
        for (let i = 0; i < entry.chunks; i++) {
          const chunk = await read(keys.companies(team, runId, entry.gen, i), storedCompaniesSchema);
          if (!chunk) throw new AppError('store_unavailable', `Companies of run ${runId} are missing.`);
          for (const c of Array.isArray(chunk) ? chunk : decodeCompanies(chunk)) out.push(c);
        }
        return out;
      }),

    deleteRun: (team, runId) =>
      guard('delete the run', async () => {
        const removed = await withLock(keys.index(team), async () => {
          const index = await readIndex(team);
          const entry = index.find((e) => e.run_id === runId);
          if (!entry) return null;
          await keyv.set(
            keys.index(team),
            index.filter((e) => e !== entry),
          );
          return entry;
        });
        if (!removed) return null;
        await keyv.deleteMany(await dataKeys(team, removed));
        return toMeta(removed);
      }),

    getSettings: (team) =>
      guard('read settings', async () => (await read(keys.settings(team), storedSettingsSchema)) ?? {}),

    updateSettings: (team, change) =>
      guard('save settings', () =>
        withLock(keys.settings(team), async () => {
          const current = (await read(keys.settings(team), storedSettingsSchema)) ?? {};
          const next = change(current);
          await registerWorkspace(team);
          await keyv.set(keys.settings(team), next);
          return next;
        }),
      ),

    getDocument: (team, name, schema) => guard(`read ${name}`, () => read(keys.document(team, name), schema)),

    updateDocument: (team, name, schema, change) =>
      guard(`save ${name}`, () =>
        withLock(keys.document(team, name), async () => {
          const current = await read(keys.document(team, name), schema);
          const out = change(current);
          // Never write what could not be read back: a bad value fails here and nothing is stored.
          const checked = schema.safeParse(out.value);
          if (!checked.success) {
            throw new AppError('store_unavailable', `Refused to store an invalid ${name} record.`, {
              cause: checked.error,
            });
          }
          await registerWorkspace(team);
          await keyv.set(keys.document(team, name), out.value);
          return out;
        }),
      ),

    claim: (team, name, { now, staleMs }) =>
      guard('claim a send', async () => {
        const key = keys.claim(team, name);
        const value = JSON.stringify({ at: now.toISOString() });
        const inserted: unknown[] = await adapter.query(
          'INSERT INTO keyv(key, value) VALUES(?, ?) ON CONFLICT(key) DO NOTHING RETURNING key',
          key,
          value,
        );
        if (inserted.length > 0) return true;
        const rows = (await adapter.query('SELECT value FROM keyv WHERE key = ?', key)) as Array<{
          value: string;
        }>;
        const held = rows[0]?.value;
        if (held === undefined) return false;
        const at = Date.parse((JSON.parse(held) as { at?: string }).at ?? '');
        if (Number.isFinite(at) && now.getTime() - at < staleMs) return false;
        // Take over a stale claim only if nobody else did first (compare-and-set on the old value).
        const taken: unknown[] = await adapter.query(
          'UPDATE keyv SET value = ? WHERE key = ? AND value = ? RETURNING key',
          value,
          key,
          held,
        );
        return taken.length > 0;
      }),

    release: (team, name) =>
      guard('release a claim', async () => {
        await adapter.query('DELETE FROM keyv WHERE key = ?', keys.claim(team, name));
      }),

    listWorkspaces: () =>
      guard('list workspaces', async () => (await read(keys.workspaces(), workspacesSchema)) ?? []),

    ping: () =>
      guard('be read', async () => {
        await adapter.query('SELECT 1');
        await keyv.get(keys.ping());
      }),

    close: async () => {
      await keyv.disconnect();
    },
  };
}
