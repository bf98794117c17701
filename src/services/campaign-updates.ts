/**
 * A workspace's campaign updates in the store (the layout is domain/campaign-storage.ts): reading
 * them all for a dashboard, appending a batch, and finding or removing a person's update for undo.
 * Every write is one transaction over the few documents it needs; the names are chosen from the
 * index read just before, and chosen again if another writer moved on meanwhile.
 */
import {
  type AppendOutcome,
  appendToStorage,
  asIndex,
  asMonth,
  asPage,
  batchDocuments,
  CAMPAIGN_INDEX_DOCUMENT,
  type CampaignStoreDocument,
  campaignMonthDocument,
  campaignPageDocument,
  campaignStoreSchema,
  monthOf,
  monthsInRange,
  pagesOf,
  rebuildFromPages,
  removalDocuments,
  removeFromStorage,
  totalsFromMonths,
  updatesOfPages,
} from '../domain/campaign-storage.js';
import {
  CAMPAIGNS_DOCUMENT,
  type CampaignCounts,
  type CampaignUpdate,
  type DateRange,
} from '../domain/campaigns.js';
import type { Campaign } from '../domain/model.js';
import { AppError, isAppError } from '../errors.js';
import { COMMAND } from '../ids.js';
import type { Store } from '../store/store.js';

/** Tries before giving up when other writers keep moving the index (each try is one transaction). */
const ATTEMPTS = 20;

async function readIndex(store: Store, team: string) {
  return asIndex(await store.getDocument(team, CAMPAIGN_INDEX_DOCUMENT, campaignStoreSchema));
}

function legacyOf(doc: CampaignStoreDocument | undefined): CampaignUpdate[] | undefined {
  return doc && !('kind' in doc) ? doc.updates : undefined;
}

function busy(): AppError {
  return new AppError('store_unavailable', 'The campaign updates are being written by others; try again.');
}

/** Every update, in recorded order. */
export async function loadCampaignUpdates(store: Store, team: string): Promise<CampaignUpdate[]> {
  // Read together, so a migration in between cannot show an update twice.
  // A damaged document is left out (and named by the store's listDamaged), never failing the read.
  const [legacy, indexDoc] = await store.getDocuments(
    team,
    [CAMPAIGNS_DOCUMENT, CAMPAIGN_INDEX_DOCUMENT],
    campaignStoreSchema,
    { skipDamaged: true },
  );
  const index = asIndex(indexDoc);
  const pages = pagesOf(index);
  const stored =
    pages.length === 0
      ? []
      : updatesOfPages(
          await store.getDocuments(team, pages.map(campaignPageDocument), campaignStoreSchema, {
            skipDamaged: true,
          }),
          index?.next ?? 0,
        );
  const earlier = legacyOf(legacy);
  return earlier ? [...earlier, ...stored] : stored;
}

/**
 * Moves the single document of earlier versions into pages and months, in one transaction, and
 * removes it. Nothing to do (one read) once it is gone.
 */
export async function migrateLegacyCampaigns(store: Store, team: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [legacy, indexDoc] = await store.getDocuments(
      team,
      [CAMPAIGNS_DOCUMENT, CAMPAIGN_INDEX_DOCUMENT],
      campaignStoreSchema,
    );
    const updates = legacyOf(legacy);
    if (!updates) return;
    const names = [
      CAMPAIGNS_DOCUMENT,
      ...batchDocuments(
        asIndex(indexDoc),
        updates.length,
        updates.map((u) => monthOf(u.date)),
      ),
    ];
    const done = await store.updateDocuments(team, names, campaignStoreSchema, (current) => {
      const now = legacyOf(current[0]);
      if (!now) return { values: [], result: true };
      // Written to since it was read: choose the documents again.
      if (now.length !== updates.length) return { values: [], result: false };
      const read = new Map(names.slice(1).map((n, i) => [n, current[i + 1]]));
      const out = appendToStorage(read, now);
      if (!out) return { values: [], result: false };
      return { values: [null, ...names.slice(1).map((n) => out.writes.get(n))], result: true };
    });
    if (done) return;
  }
  throw busy();
}

export interface AppendedCampaignUpdates {
  result: AppendOutcome['result'];
  /** Totals per channel over `range`, after the batch. */
  totals: Record<Campaign, CampaignCounts>;
}

/**
 * When a write failed on the store, names a damaged campaign record among `names` (checked again)
 * and how to remove it; otherwise the error as it was.
 */
async function explainDamage(
  store: Store,
  team: string,
  names: readonly string[],
  error: unknown,
): Promise<unknown> {
  if (!isAppError(error, 'store_unavailable')) return error;
  const read = await store
    .getDocuments(team, names, campaignStoreSchema, { skipDamaged: true })
    .catch(() => null);
  if (!read) return error;
  const damaged = (await store.listDamaged(team).catch(() => []))
    .map((d) => d.document)
    .filter((n): n is string => n !== undefined && names.includes(n));
  if (damaged.length === 0) return error;
  return new AppError(
    'store_unavailable',
    `Damaged campaign records, left as they are (nothing is written over them): ${damaged.join(', ')}. An admin can remove them with \`${COMMAND} campaign repair\`.`,
    { cause: error },
  );
}

/** Appends a batch in one transaction: all of it is kept, or none. */
export async function appendCampaignUpdates(
  store: Store,
  team: string,
  added: readonly CampaignUpdate[],
  range: DateRange,
): Promise<AppendedCampaignUpdates> {
  try {
    return await appendOnce(store, team, added, range);
  } catch (error) {
    const months = added.map((u) => campaignMonthDocument(monthOf(u.date)));
    const stored = await documentsOf(store, team);
    throw await explainDamage(
      store,
      team,
      [...new Set([CAMPAIGNS_DOCUMENT, CAMPAIGN_INDEX_DOCUMENT, ...months, ...stored])],
      error,
    );
  }
}

/** Every page and month the index names, or none when it cannot be read. */
async function documentsOf(store: Store, team: string): Promise<string[]> {
  const [doc] = await store
    .getDocuments(team, [CAMPAIGN_INDEX_DOCUMENT], campaignStoreSchema, { skipDamaged: true })
    .catch(() => [undefined]);
  const index = asIndex(doc);
  return [...pagesOf(index).map(campaignPageDocument), ...(index?.months ?? []).map(campaignMonthDocument)];
}

async function appendOnce(
  store: Store,
  team: string,
  added: readonly CampaignUpdate[],
  range: DateRange,
): Promise<AppendedCampaignUpdates> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await migrateLegacyCampaigns(store, team);
    const index = await readIndex(store, team);
    const months = new Set(added.map((u) => monthOf(u.date)));
    for (const m of monthsInRange(range, [...(index?.months ?? []), ...months])) months.add(m);
    // The earlier version's document is read too: a batch never lands beside one not yet moved.
    const names = [CAMPAIGNS_DOCUMENT, ...batchDocuments(index, added.length, months)];
    const outcome = await store.updateDocuments(team, names, campaignStoreSchema, (current) => {
      if (legacyOf(current[0])) return { values: [], result: null };
      const read = new Map(names.slice(1).map((n, i) => [n, current[i + 1]]));
      const out = appendToStorage(read, added);
      if (!out) return { values: [], result: null };
      const after = asIndex(out.writes.get(CAMPAIGN_INDEX_DOCUMENT));
      const wanted = monthsInRange(range, after?.months ?? []);
      if (!wanted.every((m) => read.has(campaignMonthDocument(m)))) return { values: [], result: null };
      return { values: [undefined, ...names.slice(1).map((n) => out.writes.get(n))], result: out };
    });
    if (outcome) {
      return { result: outcome.result, totals: totalsFromMonths(outcome.months.values(), range) };
    }
  }
  throw busy();
}

/** Where `user`'s most recent update is: the pages that hold their updates, newest first. */
async function findByUser(
  store: Store,
  team: string,
  user: string,
  match: (u: CampaignUpdate) => boolean,
): Promise<{ update: CampaignUpdate; page: number } | null> {
  const index = await readIndex(store, team);
  const pages = [...(index?.users[user] ?? [])].reverse();
  for (const page of pages) {
    const doc = asPage(await store.getDocument(team, campaignPageDocument(page), campaignStoreSchema));
    const updates = doc?.updates ?? [];
    for (let i = updates.length - 1; i >= 0; i--) {
      const u = updates[i];
      if (u && u.user === user && match(u)) return { update: u, page };
    }
  }
  return null;
}

/** The caller's most recent update, the one `campaign undo` offers to remove. */
export async function lastCampaignUpdateBy(
  store: Store,
  team: string,
  user: string,
): Promise<CampaignUpdate | null> {
  await migrateLegacyCampaigns(store, team);
  const found = await findByUser(store, team, user, () => true);
  return found?.update ?? null;
}

/** Removes update `id` when it is the caller's; `removed` is null when it is gone or someone else's. */
export async function removeCampaignUpdate(
  store: Store,
  team: string,
  id: string,
  user: string,
): Promise<{ removed: CampaignUpdate | null; after: CampaignCounts | null }> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await migrateLegacyCampaigns(store, team);
    const found = await findByUser(store, team, user, (u) => u.id === id);
    if (!found) return { removed: null, after: null };
    const { update, page } = found;
    const month = asMonth(
      await store.getDocument(team, campaignMonthDocument(monthOf(update.date)), campaignStoreSchema),
    );
    const names = removalDocuments(update.date, month?.days[update.date], page);
    type Outcome = 'gone' | 'stale' | { removed: CampaignUpdate; after: CampaignCounts };
    const outcome = await store.updateDocuments<CampaignStoreDocument, Outcome>(
      team,
      names,
      campaignStoreSchema,
      (current) => {
        const read = new Map(names.map((n, i) => [n, current[i]]));
        const out = removeFromStorage(read, { id, user, page, date: update.date });
        if (out.kind !== 'removed') return { values: [], result: out.kind };
        return {
          values: names.map((n) => out.writes.get(n)),
          result: { removed: out.removed, after: out.after },
        };
      },
    );
    if (outcome === 'gone') return { removed: null, after: null };
    if (outcome !== 'stale') return outcome;
  }
  throw busy();
}

export interface CampaignRepair {
  /** The damaged documents removed (their updates or totals could not be read). */
  removed: string[];
  /** The index is damaged: it is left as it is (the pages cannot be found without it). */
  indexDamaged: boolean;
}

/**
 * Removes damaged campaign documents (the earlier version's one, pages, months) and folds the
 * index's people and months and every month again from the readable pages, so what is left agrees.
 * A damaged index is not removed: without it the pages cannot be found; it is reported instead.
 */
export async function repairCampaignUpdates(store: Store, team: string): Promise<CampaignRepair> {
  const [, indexDoc] = await store.getDocuments(
    team,
    [CAMPAIGNS_DOCUMENT, CAMPAIGN_INDEX_DOCUMENT],
    campaignStoreSchema,
    { skipDamaged: true },
  );
  const index = asIndex(indexDoc);
  const pageNames = pagesOf(index).map(campaignPageDocument);
  const monthNames = (index?.months ?? []).map(campaignMonthDocument);
  await store.getDocuments(team, [...pageNames, ...monthNames], campaignStoreSchema, { skipDamaged: true });
  const damaged = (await store.listDamaged(team))
    .map((d) => d.document)
    .filter((name): name is string => name !== undefined && name.startsWith(CAMPAIGNS_DOCUMENT));
  const indexDamaged = damaged.includes(CAMPAIGN_INDEX_DOCUMENT);
  const removed: string[] = [];
  if (indexDamaged) return { removed, indexDamaged };
  for (const name of damaged)
    if (await store.deleteDamagedDocument(team, name, campaignStoreSchema)) removed.push(name);
  if (removed.length === 0 || !index) return { removed, indexDamaged };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await readIndex(store, team);
    if (!current) return { removed, indexDamaged };
    const pages = pagesOf(current);
    const read = await store.getDocuments(team, pages.map(campaignPageDocument), campaignStoreSchema);
    const rebuilt = rebuildFromPages(current, new Map(pages.map((n, i) => [n, asPage(read[i])])));
    const months = [...new Set([...current.months, ...rebuilt.index.months])].sort();
    const names = [
      CAMPAIGN_INDEX_DOCUMENT,
      ...pages.map(campaignPageDocument),
      ...months.map(campaignMonthDocument),
    ];
    const done = await store.updateDocuments(team, names, campaignStoreSchema, (now) => {
      const nowIndex = asIndex(now[0]);
      // Written to since it was read: fold again.
      if (!nowIndex || nowIndex.next !== current.next) return { values: [], result: false };
      // Folded from the pages as locked now (an undo may have changed one since).
      const locked = rebuildFromPages(nowIndex, new Map(pages.map((n, i) => [n, asPage(now[i + 1])])));
      if (!locked.index.months.every((m) => months.includes(m))) return { values: [], result: false };
      const values = names.map((name, i) => {
        if (i === 0) return locked.index;
        if (i <= pages.length) return undefined;
        return locked.months.get(name.slice('campaigns-month-'.length)) ?? null;
      });
      return { values, result: true };
    });
    if (done) return { removed, indexDamaged };
  }
  throw busy();
}
