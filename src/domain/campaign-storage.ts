/**
 * How a workspace's campaign updates are stored, so that recording a batch costs the batch's size
 * and not the history's. Pure: the store reads and writes the documents this module decides.
 *
 * - Pages (`campaigns-page-<n>`): the updates in recorded order, `CAMPAIGN_PAGE_SIZE` positions a
 *   page; an update's position never changes (an undone update leaves a gap).
 * - Months (`campaigns-month-<YYYY-MM>`): per date of that month, the folded totals of each channel,
 *   the number of updates and the pages holding them (what an update's answer and undo need).
 * - The index (`campaigns-index`): the next position, the months present, and per person the pages
 *   holding their updates (what `campaign undo` needs).
 *
 * A batch reads and writes the index, the page it appends to (and the next one) and the months of
 * its dates and of the answer's period. Updates stored before this layout (one `campaigns`
 * document) are moved into it once, in one transaction (`migrateLegacy`).
 */
import { z } from 'zod';
import {
  CAMPAIGN_COUNTS,
  type CampaignCounts,
  type CampaignUpdate,
  type DateRange,
  emptyCounts,
  inRange,
} from './campaigns.js';
import { campaignDocumentSchema, campaignUpdateSchema } from './campaigns-schema.js';
import { CAMPAIGNS, type Campaign } from './model.js';

/** Positions a page holds: a batch (at most 1,000 updates) touches at most two pages. */
export const CAMPAIGN_PAGE_SIZE = 1000;
export const CAMPAIGN_INDEX_DOCUMENT = 'campaigns-index';
export const campaignPageDocument = (page: number) => `campaigns-page-${page}`;
export const campaignMonthDocument = (month: string) => `campaigns-month-${month}`;

const countsSchema = z.object({
  sent: z.number(),
  opened: z.number(),
  responded: z.number(),
  converted: z.number(),
});
const pageNumbers = z.array(z.number().int().min(0));

const indexSchema = z.object({
  kind: z.literal('index'),
  v: z.literal(1),
  /** The position the next update takes. */
  next: z.number().int().min(0),
  /** `YYYY-MM`, sorted. */
  months: z.array(z.string()),
  /** Per person (Slack user id, `api`, `cli`): the pages holding their updates, ascending. */
  users: z.record(z.string(), pageNumbers),
});
const pageSchema = z.object({
  kind: z.literal('page'),
  v: z.literal(1),
  /** Parallel to `updates`: each update's position (ascending). */
  at: z.array(z.number().int().min(0)),
  updates: z.array(campaignUpdateSchema),
});
const daySchema = z.object({
  /** Folded totals per channel (only channels with updates that date). */
  totals: z.partialRecord(z.enum(CAMPAIGNS), countsSchema),
  updates: z.number().int().min(1),
  /** The pages holding this date's updates, ascending. */
  pages: pageNumbers,
});
const monthSchema = z.object({
  kind: z.literal('month'),
  v: z.literal(1),
  days: z.record(z.string(), daySchema),
});

export type CampaignIndex = z.infer<typeof indexSchema>;
export type CampaignPage = z.infer<typeof pageSchema>;
export type CampaignMonth = z.infer<typeof monthSchema>;
export type CampaignDay = z.infer<typeof daySchema>;

/**
 * Every campaign document, including the single document of earlier versions (`campaigns`), so
 * that one transaction can read and remove it.
 */
export const campaignStoreSchema = z.union([
  z.discriminatedUnion('kind', [indexSchema, pageSchema, monthSchema]),
  // Never a document that names a kind: a damaged page, month or index is damage, not this.
  z
    .custom<unknown>((v) => typeof v === 'object' && v !== null && !('kind' in v))
    .pipe(campaignDocumentSchema),
]);
export type CampaignStoreDocument = z.infer<typeof campaignStoreSchema>;

export const asIndex = (d: CampaignStoreDocument | undefined): CampaignIndex | undefined =>
  d && 'kind' in d && d.kind === 'index' ? d : undefined;
export const asPage = (d: CampaignStoreDocument | undefined): CampaignPage | undefined =>
  d && 'kind' in d && d.kind === 'page' ? d : undefined;
export const asMonth = (d: CampaignStoreDocument | undefined): CampaignMonth | undefined =>
  d && 'kind' in d && d.kind === 'month' ? d : undefined;

export const pageOf = (position: number) => Math.floor(position / CAMPAIGN_PAGE_SIZE);
export const monthOf = (date: string) => date.slice(0, 7);

/** The pages that may hold updates, in recorded order. */
export function pagesOf(index: CampaignIndex | undefined): number[] {
  const n = index && index.next > 0 ? pageOf(index.next - 1) + 1 : 0;
  return Array.from({ length: n }, (_, i) => i);
}

/** The months a date range covers, of those present (`present` for an open end). */
export function monthsInRange(range: DateRange, present: readonly string[]): string[] {
  return present.filter(
    (m) => (range.from === null || m >= monthOf(range.from)) && (range.to === null || m <= monthOf(range.to)),
  );
}

function applyUpdate(counts: CampaignCounts, u: CampaignUpdate): CampaignCounts {
  const next = { ...counts };
  for (const c of CAMPAIGN_COUNTS) {
    const value = u[c];
    if (value === undefined) continue;
    next[c] = u.mode === 'set' ? value : next[c] + value;
  }
  return next;
}

function addSorted(list: readonly number[], n: number): number[] {
  if (list.includes(n)) return [...list];
  return [...list, n].sort((a, b) => a - b);
}

/** What a batch of `count` updates reads: the index, the pages it appends to, the months of `months`. */
export function batchDocuments(
  index: CampaignIndex | undefined,
  count: number,
  months: Iterable<string>,
): string[] {
  const next = index?.next ?? 0;
  const pages: string[] = [];
  for (let p = pageOf(next); p <= pageOf(next + Math.max(0, count - 1)); p++)
    pages.push(campaignPageDocument(p));
  return [CAMPAIGN_INDEX_DOCUMENT, ...pages, ...[...new Set(months)].sort().map(campaignMonthDocument)];
}

export interface AppendOutcome {
  /** The documents to write, by name (index, pages, months). */
  writes: Map<string, CampaignStoreDocument>;
  /** Each month's document after the batch (for the answer's period totals). */
  months: Map<string, CampaignMonth>;
  result: Array<{ update: CampaignUpdate; before: CampaignCounts; after: CampaignCounts }>;
}

/**
 * Appends updates in order. `read` holds what the batch read (the names of `batchDocuments`):
 * returns null when it is not enough (another writer moved on since the names were chosen), so the
 * caller chooses again.
 */
export function appendToStorage(
  read: ReadonlyMap<string, CampaignStoreDocument | undefined>,
  added: readonly CampaignUpdate[],
): AppendOutcome | null {
  const index: CampaignIndex = structuredClone(
    asIndex(read.get(CAMPAIGN_INDEX_DOCUMENT)) ?? { kind: 'index', v: 1, next: 0, months: [], users: {} },
  );
  const first = campaignPageDocument(pageOf(index.next));
  if (!read.has(first)) return null;
  for (const u of added) if (!read.has(campaignMonthDocument(monthOf(u.date)))) return null;

  const pages = new Map<number, CampaignPage>();
  const firstPage = asPage(read.get(first));
  pages.set(pageOf(index.next), {
    kind: 'page',
    v: 1,
    at: [...(firstPage?.at ?? [])],
    updates: [...(firstPage?.updates ?? [])],
  });
  const months = new Map<string, CampaignMonth>();
  const monthFor = (month: string): CampaignMonth => {
    let doc = months.get(month);
    if (!doc) {
      const stored = asMonth(read.get(campaignMonthDocument(month)));
      doc = { kind: 'month', v: 1, days: { ...(stored?.days ?? {}) } };
      months.set(month, doc);
    }
    return doc;
  };
  const result: AppendOutcome['result'] = [];
  for (const update of added) {
    const position = index.next++;
    const pageNo = pageOf(position);
    let page = pages.get(pageNo);
    if (!page) {
      page = { kind: 'page', v: 1, at: [], updates: [] };
      pages.set(pageNo, page);
    }
    page.at.push(position);
    page.updates.push(update);
    const month = monthFor(monthOf(update.date));
    const stored = month.days[update.date];
    const day: CampaignDay = stored
      ? { totals: { ...stored.totals }, updates: stored.updates, pages: stored.pages }
      : { totals: {}, updates: 0, pages: [] };
    const before = day.totals[update.channel] ?? emptyCounts();
    const after = applyUpdate(before, update);
    day.totals[update.channel] = after;
    day.updates += 1;
    if (day.pages[day.pages.length - 1] !== pageNo) day.pages = addSorted(day.pages, pageNo);
    month.days[update.date] = day;
    const mine = index.users[update.user] ?? [];
    if (mine[mine.length - 1] !== pageNo) index.users[update.user] = addSorted(mine, pageNo);
    result.push({ update, before, after });
  }
  for (const month of months.keys()) if (!index.months.includes(month)) index.months.push(month);
  index.months.sort();
  // Every month read is returned, touched or not (the answer's period may cover untouched ones).
  for (const [name, doc] of read) {
    const m = asMonth(doc);
    const key = name.slice('campaigns-month-'.length);
    if (m && name.startsWith('campaigns-month-') && !months.has(key)) months.set(key, m);
  }
  const writes = new Map<string, CampaignStoreDocument>([[CAMPAIGN_INDEX_DOCUMENT, index]]);
  for (const [n, page] of pages) {
    if (page.updates.length === 0) continue;
    // A page the batch did not read (and lock): another writer moved on since the names were chosen.
    if (!read.has(campaignPageDocument(n))) return null;
    writes.set(campaignPageDocument(n), page);
  }
  for (const [m, doc] of months)
    if (doc !== asMonth(read.get(campaignMonthDocument(m)))) {
      writes.set(campaignMonthDocument(m), doc);
    }
  return { writes, months, result };
}

/** Totals per channel over `range`, from month documents (each date's folded totals). */
export function totalsFromMonths(
  months: Iterable<CampaignMonth>,
  range: DateRange,
): Record<Campaign, CampaignCounts> {
  const out = Object.fromEntries(CAMPAIGNS.map((c) => [c, emptyCounts()])) as Record<
    Campaign,
    CampaignCounts
  >;
  for (const month of months) {
    for (const [date, day] of Object.entries(month.days)) {
      if (!inRange(date, range)) continue;
      for (const channel of CAMPAIGNS) {
        const counts = day.totals[channel];
        if (!counts) continue;
        for (const c of CAMPAIGN_COUNTS) out[channel][c] += counts[c];
      }
    }
  }
  return out;
}

/**
 * The updates of the pages in recorded order (pages given in ascending order), those before
 * position `limit` (what the index read with them counts; a later write is left for the next read).
 */
export function updatesOfPages(
  pages: ReadonlyArray<CampaignStoreDocument | undefined>,
  limit: number,
): CampaignUpdate[] {
  const out: CampaignUpdate[] = [];
  for (const doc of pages) {
    const page = asPage(doc);
    if (!page) continue;
    for (const [i, u] of page.updates.entries()) if ((page.at[i] ?? limit) < limit) out.push(u);
  }
  return out;
}

/** What removing an update reads: the index, its month, and every page holding its date. */
export function removalDocuments(date: string, day: CampaignDay | undefined, page: number): string[] {
  const pages = new Set([page, ...(day?.pages ?? [])]);
  return [
    CAMPAIGN_INDEX_DOCUMENT,
    campaignMonthDocument(monthOf(date)),
    ...[...pages].sort((a, b) => a - b).map(campaignPageDocument),
  ];
}

export type RemoveOutcome =
  | { kind: 'stale' }
  | { kind: 'gone' }
  | {
      kind: 'removed';
      removed: CampaignUpdate;
      after: CampaignCounts;
      /** Documents to write (`null`: delete). */
      writes: Map<string, CampaignStoreDocument | null>;
    };

/**
 * Removes update `id` of `user` from page `page`, refolding its date's totals from the pages that
 * hold that date. `read` holds the names of `removalDocuments`; `stale` when it is not enough.
 */
export function removeFromStorage(
  read: ReadonlyMap<string, CampaignStoreDocument | undefined>,
  options: { id: string; user: string; page: number; date: string },
): RemoveOutcome {
  const index = asIndex(read.get(CAMPAIGN_INDEX_DOCUMENT));
  const page = asPage(read.get(campaignPageDocument(options.page)));
  const at = page?.updates.findIndex((u) => u.id === options.id && u.user === options.user) ?? -1;
  const target = at >= 0 ? page?.updates[at] : undefined;
  if (!index || !page || !target) return { kind: 'gone' };
  const monthName = campaignMonthDocument(monthOf(target.date));
  if (!read.has(monthName)) return { kind: 'stale' };
  const month = asMonth(read.get(monthName));
  const day = month?.days[target.date];
  const dayPages = day?.pages ?? [];
  if (!dayPages.every((p) => read.has(campaignPageDocument(p)))) return { kind: 'stale' };

  const nextPage: CampaignPage = {
    kind: 'page',
    v: 1,
    at: page.at.filter((_, i) => i !== at),
    updates: page.updates.filter((_, i) => i !== at),
  };
  const pageAfter = (n: number) =>
    n === options.page ? nextPage : asPage(read.get(campaignPageDocument(n)));
  // Refold the date from its pages, in recorded order.
  const totals: CampaignDay['totals'] = {};
  let count = 0;
  const stillHolding: number[] = [];
  for (const n of dayPages) {
    let holds = false;
    for (const u of pageAfter(n)?.updates ?? []) {
      if (u.date !== target.date) continue;
      totals[u.channel] = applyUpdate(totals[u.channel] ?? emptyCounts(), u);
      count += 1;
      holds = true;
    }
    if (holds) stillHolding.push(n);
  }
  const nextMonth: CampaignMonth = { kind: 'month', v: 1, days: { ...(month?.days ?? {}) } };
  if (count === 0) delete nextMonth.days[target.date];
  else nextMonth.days[target.date] = { totals, updates: count, pages: stillHolding };
  const monthEmpty = Object.keys(nextMonth.days).length === 0;

  const nextIndex: CampaignIndex = structuredClone(index);
  if (!nextPage.updates.some((u) => u.user === options.user)) {
    const left = (nextIndex.users[options.user] ?? []).filter((n) => n !== options.page);
    if (left.length === 0) delete nextIndex.users[options.user];
    else nextIndex.users[options.user] = left;
  }
  if (monthEmpty) nextIndex.months = nextIndex.months.filter((m) => m !== monthOf(target.date));

  const writes = new Map<string, CampaignStoreDocument | null>([
    [CAMPAIGN_INDEX_DOCUMENT, nextIndex],
    [campaignPageDocument(options.page), nextPage.updates.length === 0 ? null : nextPage],
    [monthName, monthEmpty ? null : nextMonth],
  ]);
  return { kind: 'removed', removed: target, after: totals[target.channel] ?? emptyCounts(), writes };
}

/**
 * The index's people and months and every month document, folded again from the pages (ascending
 * page numbers, in recorded order): what a repair writes once damaged pages or months are removed.
 * The next position is kept, so no position is ever taken twice.
 */
export function rebuildFromPages(
  index: CampaignIndex,
  pages: ReadonlyMap<number, CampaignPage | undefined>,
): { index: CampaignIndex; months: Map<string, CampaignMonth> } {
  const users: CampaignIndex['users'] = {};
  const months = new Map<string, CampaignMonth>();
  for (const n of [...pages.keys()].sort((a, b) => a - b)) {
    for (const update of pages.get(n)?.updates ?? []) {
      const name = monthOf(update.date);
      const month = months.get(name) ?? { kind: 'month', v: 1, days: {} };
      months.set(name, month);
      const day = month.days[update.date] ?? { totals: {}, updates: 0, pages: [] };
      day.totals[update.channel] = applyUpdate(day.totals[update.channel] ?? emptyCounts(), update);
      day.updates += 1;
      day.pages = addSorted(day.pages, n);
      month.days[update.date] = day;
      users[update.user] = addSorted(users[update.user] ?? [], n);
    }
  }
  return {
    index: { kind: 'index', v: 1, next: index.next, months: [...months.keys()].sort(), users },
    months,
  };
}
