/**
 * The Store on a Backend: the only module that knows keys. Every read-modify-write (settings,
 * documents, the run index, the workspace registry) is one database transaction that holds a lock
 * on the records it reads, so it is atomic across processes; nothing is serialised in this process.
 * A run's data is written under a fresh generation of keys in the same transaction as its index
 * entry, so an upload is visible completely or not at all.
 */

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RunAggregate } from '../domain/aggregate.js';
import type { Company } from '../domain/model.js';
import type { RunMeta } from '../domain/run-meta.js';
import { sortRunsNewestFirst } from '../domain/run-meta.js';
import { storedSettingsSchema } from '../domain/settings-schema.js';
import { AppError } from '../errors.js';
import { COMMAND } from '../ids.js';
import { readStoredAggregate } from './aggregate-codec.js';
import type { Backend, Write } from './backend.js';
import { companyChunkSchema, decodeCompanies } from './company-codec.js';
import { chunkCount, type EncodedRun, encodeCompanyChunk, encodeRunAggregate } from './run-encoding.js';
import { companiesSchema, type IndexEntry, indexEntrySchema } from './schemas.js';
import type { DamagedRecord, SaveRunResult, Store } from './store.js';

/** Aggregates read and decoded between two yields to the event loop (a few milliseconds of work). */
const AGGREGATES_PER_READ = 8;
/** Documents read between two yields (`getDocuments`). */
const DOCUMENTS_PER_READ = 4;
/** Chunks are written in columns (company-codec.ts); plain arrays of companies are still read. */
const storedCompaniesSchema = z.union([companyChunkSchema, companiesSchema]);
const workspacesSchema = z.array(z.string());

export const keys = {
  index: (team: string) => `t:${team}:runs`,
  aggregate: (team: string, runId: string, gen: string) => `t:${team}:agg:${runId}:${gen}`,
  companies: (team: string, runId: string, gen: string, i: number) => `t:${team}:co:${runId}:${gen}:${i}`,
  settings: (team: string) => `t:${team}:settings`,
  document: (team: string, name: string) => `t:${team}:doc:${name}`,
  workspaces: () => 'workspaces',
  claim: (team: string, name: string) => `t:${team}:${name}`,
  ping: () => 'health:ping',
};

/** The workspace, run and generation of a run-data key (aggregate or companies chunk), or null. */
export function parseDataKey(key: string): { team: string; runId: string; gen: string } | null {
  const m = /^t:([^:]+):(agg|co):(.+)$/.exec(key);
  if (!m) return null;
  const [, team = '', kind, rest = ''] = m;
  const parts = rest.split(':');
  if (kind === 'co') parts.pop();
  const gen = parts.pop();
  if (!gen || parts.length === 0) return null;
  return { team, runId: parts.join(':'), gen };
}

function toMeta(entry: IndexEntry): RunMeta {
  const { gen: _gen, chunks: _chunks, ...meta } = entry;
  return meta;
}

const rawIndexSchema = z.array(z.unknown());

/**
 * The index, entry by entry: an entry that fails validation (e.g. a total stored as null) is kept
 * aside, never taking the whole workspace down. `damaged` keeps the raw entries to write back.
 */
function parseIndex(key: string, raw: unknown): { entries: IndexEntry[]; damaged: unknown[] } {
  const entries: IndexEntry[] = [];
  const damagedEntries: unknown[] = [];
  for (const item of parse(key, raw, rawIndexSchema) ?? []) {
    const parsed = indexEntrySchema.safeParse(item);
    if (parsed.success) entries.push(parsed.data);
    else damagedEntries.push(item);
  }
  return { entries, damaged: damagedEntries };
}

/** The run id of a (possibly damaged) index entry, when it has a readable one. */
function runIdOf(raw: unknown): string | null {
  const id = typeof raw === 'object' && raw !== null ? (raw as { run_id?: unknown }).run_id : undefined;
  return typeof id === 'string' ? id : null;
}

/** What a deleted damaged entry is reported as: its legible fields, zeros for the rest. */
function damagedMeta(runId: string, raw: Partial<IndexEntry>): RunMeta {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    run_id: runId,
    started_at: text(raw.started_at),
    uploaded_at: text(raw.uploaded_at),
    source: raw.source === 'slack' || raw.source === 'api' || raw.source === 'file' ? raw.source : 'api',
    headline: {
      companies: 0,
      qualified: 0,
      tier_1: 0,
      api_total: 0,
      api_successful: 0,
      api_rt_sum: 0,
      credits: 0,
    },
  };
}

function dataKeys(team: string, entry: IndexEntry): string[] {
  const out = [keys.aggregate(team, entry.run_id, entry.gen)];
  for (let i = 0; i < entry.chunks; i++) out.push(keys.companies(team, entry.run_id, entry.gen, i));
  return out;
}

function damaged(key: string): AppError {
  const parts = key.split(':');
  // A document is named (`campaigns-page-3`); other records by their kind (`runs`, `settings`…).
  const what = parts[2] === 'doc' ? parts.slice(3).join(':') : parts.slice(2, 3).join('');
  return new AppError('store_unavailable', `A stored record is damaged (${what}).`);
}

/** Parses a value read from the backend; absent is `undefined`, anything the schema refuses is damage. */
function parse<S extends z.ZodType>(key: string, raw: unknown, schema: S): z.infer<S> | undefined {
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw damaged(key);
  return parsed.data;
}

/** A settings record that is stored but fails validation. */
function settingsDamaged(raw: unknown): boolean {
  return raw !== undefined && !storedSettingsSchema.safeParse(raw).success;
}

function damagedSettings(): AppError {
  return new AppError(
    'store_unavailable',
    `The workspace's settings record is damaged, so it was left as it is (it may still be recovered by hand). An admin can remove it with \`${COMMAND} settings reset\`, then set settings again.`,
  );
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createKvStore(backend: Backend): Store {
  async function guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('store_unavailable', `The store could not ${what}.`, { cause: error });
    }
  }

  async function read<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const [raw] = await backend.getMany([key]);
    return parse(key, raw, schema);
  }

  async function readIndexParts(team: string): Promise<{ entries: IndexEntry[]; damaged: unknown[] }> {
    const key = keys.index(team);
    const [raw] = await backend.getMany([key]);
    return parseIndex(key, raw);
  }

  async function readIndex(team: string): Promise<IndexEntry[]> {
    return (await readIndexParts(team)).entries;
  }

  /** Aggregates that failed to read in this process, per workspace, until their run is deleted or replaced. */
  const damagedAggregates = new Map<string, Set<string>>();

  /** Documents read damaged in this process (and their schema, to check again), per workspace. */
  const damagedDocuments = new Map<string, Map<string, z.ZodType>>();

  /** Workspaces this process has seen in the registry (it only ever grows). */
  const registered = new Set<string>();

  /**
   * One read-modify-write of `key` (and of the workspace registry when this process has not seen
   * the team there yet), atomic in the database.
   */
  async function update<R>(
    team: string,
    key: string,
    decide: (current: unknown) => { writes: Write[]; result: R },
    before: readonly Write[] = [],
  ): Promise<R> {
    return updateMany(team, [key], (current) => decide(current[0]), before);
  }

  /** `update` over several keys, read under their locks and written in one transaction. */
  async function updateMany<R>(
    team: string,
    read: readonly string[],
    decide: (current: readonly unknown[]) => { writes: Write[]; result: R },
    before: readonly Write[] = [],
  ): Promise<R> {
    const register = !registered.has(team);
    const result = await backend.transaction({
      before,
      read: register ? [...read, keys.workspaces()] : read,
      decide: (current) => {
        const out = decide(current.slice(0, read.length));
        if (!register) return out;
        const list = parse(keys.workspaces(), current[read.length], workspacesSchema) ?? [];
        if (list.includes(team)) return out;
        return {
          ...out,
          writes: [...out.writes, [keys.workspaces(), JSON.stringify([...list, team].sort())] as const],
        };
      },
    });
    registered.add(team);
    return result;
  }

  /** Stores an encoded run: its data under a fresh generation of keys, with its index entry, in one transaction. */
  function saveEncoded(team: string, { meta, aggregate, chunks: parts }: EncodedRun): Promise<SaveRunResult> {
    return guard('save the run', async (): Promise<SaveRunResult> => {
      const gen = randomUUID().slice(0, 8);
      const chunks = parts.length;
      const before: Write[] = [
        [keys.aggregate(team, meta.run_id, gen), aggregate],
        ...parts.map((part, i): Write => [keys.companies(team, meta.run_id, gen, i), part]),
      ];
      const entry: IndexEntry = { ...meta, gen, chunks };
      const key = keys.index(team);
      const replaced = await update(
        team,
        key,
        (current) => {
          const { entries: index, damaged: broken } = parseIndex(key, current);
          const old = index.find((e) => e.run_id === meta.run_id) ?? null;
          const next = sortRunsNewestFirst([...index.filter((e) => e.run_id !== meta.run_id), entry]);
          // Damaged entries stay (at the end) until someone deletes them: an upload never drops them silently.
          const kept = broken.filter((d) => runIdOf(d) !== meta.run_id);
          const writes: Write[] = [[key, JSON.stringify([...next, ...kept])]];
          if (old) for (const k of dataKeys(team, old)) writes.push([k, null]);
          return { writes, result: old };
        },
        before,
      );
      damagedAggregates.get(team)?.delete(meta.run_id);
      return { meta: toMeta(entry), replaced: replaced ? toMeta(replaced) : null };
    });
  }

  return {
    kind: backend.kind,

    saveRun: async (team, { run, aggregate, meta }) => {
      // Encoded chunk by chunk, yielding between chunks so requests keep being answered meanwhile.
      const chunks: string[] = [];
      for (let i = 0; i < chunkCount(run); i++) {
        await yieldToEventLoop();
        chunks.push(encodeCompanyChunk(run, i));
      }
      return saveEncoded(team, { meta, aggregate: encodeRunAggregate(aggregate), chunks });
    },

    saveEncodedRun: (team, encoded) => saveEncoded(team, encoded),

    listRuns: (team) => guard('list runs', async () => (await readIndex(team)).map(toMeta)),

    getAggregates: (team, runIds) =>
      guard('read run aggregates', async () => {
        const index = await readIndex(team);
        const byId = new Map(index.map((e) => [e.run_id, e]));
        const wanted = runIds.map((id) => byId.get(id)).filter((e): e is IndexEntry => e !== undefined);
        if (wanted.length === 0) return [];
        // A few aggregates at a time, yielding between them: the embedded SQLite driver reads on the
        // event loop, and a year's dashboard must not hold other users' slash-command acks.
        const aggregates: RunAggregate[] = [];
        for (let start = 0; start < wanted.length; start += AGGREGATES_PER_READ) {
          if (start > 0) await yieldToEventLoop();
          const part = wanted.slice(start, start + AGGREGATES_PER_READ);
          const raw = await backend.getMany(part.map((e) => keys.aggregate(team, e.run_id, e.gen)));
          for (const [i, value] of raw.entries()) {
            const aggregate = readStoredAggregate(value);
            // A damaged aggregate leaves its run out (and is listed by listDamaged), never the whole dashboard.
            if (aggregate) aggregates.push(aggregate);
            else {
              const seen = damagedAggregates.get(team) ?? new Set<string>();
              seen.add((part[i] as IndexEntry).run_id);
              damagedAggregates.set(team, seen);
            }
          }
        }
        return aggregates;
      }),

    getCompanies: (team, runId) =>
      guard('read companies', async () => {
        const entry = (await readIndex(team)).find((e) => e.run_id === runId);
        if (!entry) return null;
        const chunkKeys = dataKeys(team, entry).slice(1);
        const raw = await backend.getMany(chunkKeys);
        const out: Company[] = [];
        for (const [i, value] of raw.entries()) {
          const chunk = parse(chunkKeys[i] ?? '', value, storedCompaniesSchema);
          if (!chunk) throw new AppError('store_unavailable', `Companies of run ${runId} are missing.`);
          for (const c of Array.isArray(chunk) ? chunk : decodeCompanies(chunk)) out.push(c);
        }
        return out;
      }),

    deleteRun: (team, runId) =>
      guard('delete the run', async () => {
        const key = keys.index(team);
        const removed = await backend.transaction({
          read: [key],
          decide: ([current]) => {
            const { entries: index, damaged: broken } = parseIndex(key, current);
            const entry = index.find((e) => e.run_id === runId);
            const gone = broken.filter((d) => runIdOf(d) === runId);
            if (!entry && gone.length === 0) return { writes: [], result: null };
            const rest = [...index.filter((e) => e !== entry), ...broken.filter((d) => !gone.includes(d))];
            const writes: Write[] = [[key, JSON.stringify(rest)]];
            if (entry) for (const k of dataKeys(team, entry)) writes.push([k, null]);
            // A damaged entry: remove what of its data can still be located.
            const legible = (gone[0] ?? {}) as Partial<IndexEntry>;
            if (!entry && typeof legible.gen === 'string' && Number.isInteger(legible.chunks)) {
              const chunks = Math.min(Number(legible.chunks), 1_000);
              for (const k of dataKeys(team, { ...legible, run_id: runId, chunks } as IndexEntry))
                writes.push([k, null]);
            }
            return { writes, result: entry ? toMeta(entry) : damagedMeta(runId, legible) };
          },
        });
        damagedAggregates.get(team)?.delete(runId);
        return removed;
      }),

    listDamaged: (team) =>
      guard('list damaged records', async () => {
        const indexKey = keys.index(team);
        const [rawIndex, rawSettings] = await backend.getMany([indexKey, keys.settings(team)]);
        const { damaged: broken } = parseIndex(indexKey, rawIndex);
        const out: DamagedRecord[] = broken.map((d) => ({ run_id: runIdOf(d), record: 'index entry' }));
        if (settingsDamaged(rawSettings)) out.push({ run_id: null, record: 'settings' });
        const docs = damagedDocuments.get(team);
        if (docs && docs.size > 0) {
          // Checked again: one removed or rewritten meanwhile (by any process) is no longer named.
          const names = [...docs.keys()];
          const raw = await backend.getMany(names.map((name) => keys.document(team, name)));
          for (const [i, name] of names.entries()) {
            const value = raw[i];
            const schema = docs.get(name);
            if (value !== undefined && schema && !schema.safeParse(value).success)
              out.push({ run_id: null, record: 'document', document: name });
            else docs.delete(name);
          }
        }
        for (const runId of damagedAggregates.get(team) ?? [])
          out.push({ run_id: runId, record: 'aggregate' });
        return out;
      }),

    getSettings: (team) =>
      guard('read settings', async () => {
        // A damaged record reads as "no settings" (the defaults): it is named by `listDamaged`.
        const [raw] = await backend.getMany([keys.settings(team)]);
        const parsed = raw === undefined ? undefined : storedSettingsSchema.safeParse(raw);
        return parsed?.success ? parsed.data : {};
      }),

    updateSettings: (team, change) =>
      guard('save settings', () => {
        const key = keys.settings(team);
        return update(team, key, (current) => {
          // Never written over: the damaged value may still be recovered by hand.
          if (settingsDamaged(current)) throw damagedSettings();
          const next = change(parse(key, current, storedSettingsSchema) ?? {});
          return { writes: [[key, JSON.stringify(next)]], result: next };
        });
      }),

    deleteDamagedSettings: (team) =>
      guard('remove the damaged settings', () => {
        const key = keys.settings(team);
        return backend.transaction({
          read: [key],
          decide: ([current]) =>
            settingsDamaged(current)
              ? { writes: [[key, null]], result: true }
              : { writes: [], result: false },
        });
      }),

    getDocument: (team, name, schema) => guard(`read ${name}`, () => read(keys.document(team, name), schema)),

    updateDocument: (team, name, schema, change) =>
      guard(`save ${name}`, () => {
        const key = keys.document(team, name);
        return update(team, key, (current) => {
          const out = change(parse(key, current, schema));
          // Never write what could not be read back: a bad value fails here and nothing is stored.
          const checked = schema.safeParse(out.value);
          if (!checked.success) {
            throw new AppError('store_unavailable', `Refused to store an invalid ${name} record.`, {
              cause: checked.error,
            });
          }
          return { writes: [[key, JSON.stringify(out.value)]], result: out };
        });
      }),

    getDocuments: (team, names, schema, options = {}) =>
      guard('read documents', async () => {
        const out = [];
        // A few at a time, yielding between reads: the embedded driver reads on the event loop.
        for (let start = 0; start < names.length; start += DOCUMENTS_PER_READ) {
          if (start > 0) await yieldToEventLoop();
          const part = names
            .slice(start, start + DOCUMENTS_PER_READ)
            .map((name) => keys.document(team, name));
          const raw = await backend.getMany(part);
          for (const [i, value] of raw.entries()) {
            if (!options.skipDamaged || value === undefined) {
              out.push(parse(part[i] ?? '', value, schema));
              continue;
            }
            const parsed = schema.safeParse(value);
            if (parsed.success) {
              out.push(parsed.data);
              continue;
            }
            const name = names[start + i] ?? '';
            const docs = damagedDocuments.get(team) ?? new Map<string, z.ZodType>();
            docs.set(name, schema);
            damagedDocuments.set(team, docs);
            out.push(undefined);
          }
        }
        return out;
      }),

    deleteDamagedDocument: (team, name, schema) =>
      guard(`remove the damaged ${name}`, async () => {
        const key = keys.document(team, name);
        const removed = await backend.transaction({
          read: [key],
          decide: ([current]) =>
            current !== undefined && !schema.safeParse(current).success
              ? { writes: [[key, null]], result: true }
              : { writes: [], result: false },
        });
        damagedDocuments.get(team)?.delete(name);
        return removed;
      }),

    updateDocuments: (team, names, schema, change) =>
      guard('save documents', () => {
        const docKeys = names.map((name) => keys.document(team, name));
        if (new Set(docKeys).size !== docKeys.length) {
          throw new AppError('store_unavailable', 'The same document was named twice in one update.');
        }
        return updateMany(team, docKeys, (current) => {
          const out = change(current.map((raw, i) => parse(docKeys[i] ?? '', raw, schema)));
          const writes: Write[] = [];
          for (const [i, key] of docKeys.entries()) {
            const value = out.values[i];
            if (value === undefined) continue;
            if (value === null) {
              writes.push([key, null]);
              continue;
            }
            // Never write what could not be read back: a bad value fails here and nothing is stored.
            const checked = schema.safeParse(value);
            if (!checked.success) {
              throw new AppError('store_unavailable', `Refused to store an invalid ${names[i]} record.`, {
                cause: checked.error,
              });
            }
            writes.push([key, JSON.stringify(value)]);
          }
          return { writes, result: out.result };
        });
      }),

    claim: (team, name, options) =>
      guard('claim a send', () => backend.claim(keys.claim(team, name), options)),

    release: (team, name) => guard('release a claim', () => backend.release(keys.claim(team, name))),

    reclaimOrphans: () =>
      guard('reclaim orphaned run data', async () => {
        const byTeam = new Map<string, Array<{ key: string; bytes: number; run: string }>>();
        for (const { key, bytes } of await backend.runDataKeys()) {
          const parsed = parseDataKey(key);
          if (!parsed) continue;
          const list = byTeam.get(parsed.team) ?? [];
          list.push({ key, bytes, run: `${parsed.runId}\u0000${parsed.gen}` });
          byTeam.set(parsed.team, list);
        }
        let records = 0;
        let bytes = 0;
        for (const [team, data] of byTeam) {
          const key = keys.index(team);
          // Decided under the index's lock: a run committed meanwhile keeps its data.
          const gone = await backend.transaction({
            read: [key],
            decide: ([current]) => {
              // A damaged entry's data is kept too: it is named in `runs` and removed by deleting it.
              const index = parseIndex(key, current);
              const live = new Set([
                ...index.entries.map((e) => `${e.run_id}\u0000${e.gen}`),
                ...index.damaged.map((e) => `${runIdOf(e)}\u0000${(e as { gen?: unknown }).gen}`),
              ]);
              const orphans = data.filter((d) => !live.has(d.run));
              return { writes: orphans.map((d) => [d.key, null] as const), result: orphans };
            },
          });
          records += gone.length;
          for (const d of gone) bytes += d.bytes;
        }
        return { records, bytes };
      }),
    deleteWorkspace: (team, options = {}) =>
      guard('delete the workspace', () =>
        backend.deletePrefix(`t:${team}:`, {
          keep: (options.keepDocuments ?? []).map((name) => keys.document(team, name)),
          // Uploads and settings changes of the workspace wait for the deletion, and then start afresh.
          lock: [keys.index(team), keys.settings(team)],
        }),
      ),

    listWorkspaces: () =>
      guard('list workspaces', async () => (await read(keys.workspaces(), workspacesSchema)) ?? []),

    ping: () => guard('be read', () => backend.ping()),

    close: () => backend.close(),
  };
}
