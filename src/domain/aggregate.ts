/**
 * Per-run aggregates, computed once at ingest and stored beside the run, so a dashboard over a
 * year of history reads a few hundred small records instead of millions of companies. They are
 * exact: the score multiset is kept as sorted (score, count) pairs (as a score set once stored, see
 * score-set.ts), so the period's median is the true median, and sums are kept rather than means.
 */
import { canonicalInstantMs } from './iso-instant.js';
import {
  CAMPAIGNS,
  type Campaign,
  isQualified,
  isSuccessStatus,
  type Run,
  sizeBandOf,
  TIERS,
  type Tier,
  UNKNOWN,
} from './model.js';
import { canonicalCountry } from './read/countries.js';
import { spellingKey, spellingTable } from './read/spelling.js';
import {
  columnsOfFlat,
  columnsOfPairs,
  flatOfColumns,
  pairsOfColumns,
  type ScoreSet,
  scoreSetOfColumns,
} from './score-set.js';

export interface GroupStat {
  count: number;
  scored: number;
  score_sum: number;
  high_scorers: number;
  tier_1: number;
  qualified: number;
}

export interface TierStat {
  count: number;
  scored: number;
  score_sum: number;
  min: number | null;
  max: number | null;
}

export interface EndpointStat {
  total: number;
  successful: number;
  failed: number;
  /** Sum of response times (seconds) over successful calls, as the seed averages them. */
  rt_sum: number;
  max_rt: number;
  credits: number;
  rate_limited: number;
  status_codes: Record<string, number>;
}

export interface ApiAggregate {
  /** `calls`: from a call log; `metrics`: from summary figures; `none`: the run reported nothing. */
  source: 'calls' | 'metrics' | 'none';
  total: number;
  successful: number;
  failed: number;
  rt_sum: number;
  credits: number;
  rate_limited: number;
  /** Most calls in any 60-second window; null without a call log. */
  peak_per_minute: number | null;
  endpoints: Record<string, EndpointStat>;
}

export type CampaignSlot = Campaign | 'Unassigned';
export const CAMPAIGN_SLOTS: readonly CampaignSlot[] = [...CAMPAIGNS, 'Unassigned'];

export interface Totals {
  companies: number;
  qualified: number;
  scored: number;
  tiers: Record<Tier, TierStat>;
  /** Sorted ascending by score: [score, how many companies had it]. */
  scores: Array<[number, number]>;
  industries: Record<string, GroupStat>;
  sizes: Record<string, GroupStat>;
  countries: Record<string, GroupStat>;
  campaigns: Record<CampaignSlot, number>;
  quality: { count: number; sum: number };
  api: ApiAggregate;
}

export interface RunAggregate extends Totals {
  v: 1;
  run_id: string;
  started_at: string;
  label?: string;
}

export const HIGH_SCORE = 80;
const WINDOW_MS = 60_000;

function emptyTierStat(): TierStat {
  return { count: 0, scored: 0, score_sum: 0, min: null, max: null };
}

function emptyGroup(): GroupStat {
  return { count: 0, scored: 0, score_sum: 0, high_scorers: 0, tier_1: 0, qualified: 0 };
}

/** A table keyed by user text (industry, country, endpoint): no prototype, so no name is special. */
function table<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function emptyEndpoint(): EndpointStat {
  return {
    total: 0,
    successful: 0,
    failed: 0,
    rt_sum: 0,
    max_rt: 0,
    credits: 0,
    rate_limited: 0,
    status_codes: table(),
  };
}

export function emptyTotals(): Totals {
  return {
    companies: 0,
    qualified: 0,
    scored: 0,
    tiers: {
      'Tier 1': emptyTierStat(),
      'Tier 2': emptyTierStat(),
      'Tier 3': emptyTierStat(),
      Unqualified: emptyTierStat(),
    },
    scores: [],
    industries: table(),
    sizes: table(),
    countries: table(),
    campaigns: { Email: 0, LinkedIn: 0, Content: 0, Unassigned: 0 },
    quality: { count: 0, sum: 0 },
    api: {
      source: 'none',
      total: 0,
      successful: 0,
      failed: 0,
      rt_sum: 0,
      credits: 0,
      rate_limited: 0,
      peak_per_minute: null,
      endpoints: table(),
    },
  };
}

/** Groups are gathered in a Map while counting (faster than string-keyed objects) and turned into records at the end. */
function addToGroup(
  groups: Map<string, GroupStat>,
  key: string,
  tier: Tier,
  score: number | undefined,
): void {
  let group = groups.get(key);
  if (!group) {
    group = emptyGroup();
    groups.set(key, group);
  }
  group.count += 1;
  if (tier === 'Tier 1') group.tier_1 += 1;
  if (isQualified(tier)) group.qualified += 1;
  if (score !== undefined) {
    group.scored += 1;
    group.score_sum += score;
    if (score >= HIGH_SCORE) group.high_scorers += 1;
  }
}

function peakPerWindow(timestamps: number[]): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= WINDOW_MS) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

function aggregateApi(run: Run): ApiAggregate {
  const api = emptyTotals().api;
  if (run.api_calls.length > 0) {
    api.source = 'calls';
    const times: number[] = [];
    for (const call of run.api_calls) {
      let ep = api.endpoints[call.endpoint];
      if (!ep) {
        ep = emptyEndpoint();
        api.endpoints[call.endpoint] = ep;
      }
      const ok = isSuccessStatus(call.status_code);
      const limited = call.status_code === 429;
      ep.total += 1;
      ep.credits += call.credits_used;
      ep.status_codes[call.status_code] = (ep.status_codes[call.status_code] ?? 0) + 1;
      if (ok) {
        ep.successful += 1;
        ep.rt_sum += call.response_time;
        ep.max_rt = Math.max(ep.max_rt, call.response_time);
      } else ep.failed += 1;
      if (limited) ep.rate_limited += 1;
      times.push(canonicalInstantMs(call.timestamp) ?? Date.parse(call.timestamp));
    }
    for (const ep of Object.values(api.endpoints)) {
      api.total += ep.total;
      api.successful += ep.successful;
      api.failed += ep.failed;
      api.rt_sum += ep.rt_sum;
      api.credits += ep.credits;
      api.rate_limited += ep.rate_limited;
    }
    api.peak_per_minute = peakPerWindow(times);
    return api;
  }
  const m = run.api_metrics;
  if (m && m.total_calls > 0) {
    api.source = 'metrics';
    api.total = m.total_calls;
    api.successful = Math.round(m.total_calls * m.success_rate);
    api.failed = api.total - api.successful;
    api.rt_sum = m.avg_response_time * api.successful;
    api.credits = m.credits_used;
  } else if (m) {
    api.source = 'metrics';
    api.credits = m.credits_used;
  }
  return api;
}

/** Everything the dashboard needs from one run, computed in one pass over its companies. */
export function aggregateRun(run: Run): RunAggregate {
  const totals = emptyTotals();
  const scoreCounts = new Map<number, number>();
  const industries = new Map<string, GroupStat>();
  const sizes = new Map<string, GroupStat>();
  const countries = new Map<string, GroupStat>();
  for (const company of run.companies) {
    const { tier } = company;
    const score = company.icp_score;
    totals.companies += 1;
    if (isQualified(tier)) totals.qualified += 1;
    const tierStat = totals.tiers[tier];
    tierStat.count += 1;
    if (score !== undefined) {
      totals.scored += 1;
      scoreCounts.set(score, (scoreCounts.get(score) ?? 0) + 1);
      tierStat.scored += 1;
      tierStat.score_sum += score;
      tierStat.min = tierStat.min === null ? score : Math.min(tierStat.min, score);
      tierStat.max = tierStat.max === null ? score : Math.max(tierStat.max, score);
    }
    addToGroup(industries, company.industry ?? UNKNOWN, tier, score);
    addToGroup(sizes, sizeBandOf(company.employees), tier, score);
    addToGroup(countries, company.country ?? UNKNOWN, tier, score);
    totals.campaigns[company.campaign ?? 'Unassigned'] += 1;
  }
  // One group per industry whatever its case, and per country whatever its alias (spelling.ts).
  totals.industries = foldSpellings(Object.fromEntries(industries));
  totals.sizes = Object.fromEntries(sizes);
  totals.countries = foldSpellings(Object.fromEntries(countries), canonicalCountry);
  totals.scores = [...scoreCounts.entries()].sort((a, b) => a[0] - b[0]);
  for (const q of run.quality_scores) {
    totals.quality.count += 1;
    totals.quality.sum += q;
  }
  totals.api = aggregateApi(run);
  const aggregate: RunAggregate = { v: 1, run_id: run.run_id, started_at: run.started_at, ...totals };
  if (run.label !== undefined) aggregate.label = run.label;
  return aggregate;
}

/** Adds group `g`'s figures to `into`. */
export function addGroupStat(into: GroupStat, g: GroupStat): void {
  into.count += g.count;
  into.scored += g.scored;
  into.score_sum += g.score_sum;
  into.high_scorers += g.high_scorers;
  into.tier_1 += g.tier_1;
  into.qualified += g.qualified;
}

function mergeGroups(into: Record<string, GroupStat>, from: Record<string, GroupStat>): void {
  for (const [key, g] of Object.entries(from)) {
    const target = into[key] ?? emptyGroup();
    addGroupStat(target, g);
    into[key] = target;
  }
}

/**
 * Groups whose names differ only in case (or, for countries, are one country in the dataset) as one
 * group, named by the spelling with the most companies. `Unknown` stays as it is.
 */
function foldSpellings(
  groups: Record<string, GroupStat>,
  canonical?: (name: string) => string | undefined,
): Record<string, GroupStat> {
  // Most tables have nothing to fold: find that out with one Set, before building the spelling table.
  const seen = new Set<string>();
  let folds = false;
  for (const name in groups) {
    if (name === UNKNOWN) continue;
    const known = canonical?.(name);
    const key = known ?? spellingKey(name);
    if (
      seen.has(key) ||
      (known !== undefined && known !== name) ||
      (known === undefined && key !== name.toLowerCase())
    ) {
      folds = true;
      break;
    }
    seen.add(key);
  }
  if (!folds) return groups;
  const counts = new Map<string, number>();
  for (const [name, g] of Object.entries(groups)) if (name !== UNKNOWN) counts.set(name, g.count);
  const shownAs = spellingTable(counts, canonical);
  const out = table<GroupStat>();
  for (const [name, g] of Object.entries(groups)) mergeGroups(out, { [shownAs.get(name) ?? name]: g });
  return out;
}

/** A run's scores in flat form: [score, count, score, count, …], scores ascending and distinct. */
export type FlatScores = ArrayLike<number>;

const scoreSets = new WeakMap<RunAggregate, ScoreSet>();

/**
 * An aggregate whose score multiset comes as a score set, as the store reads it (summary at hand,
 * sorted columns decoded on demand). Its `scores` read as usual (the pairs are built the first time
 * they are read), but the dashboard uses the set directly: over a year it then builds no pair per
 * score and run, and decodes the columns only to select the median.
 */
export function withScoreSet(aggregate: Omit<RunAggregate, 'scores'>, set: ScoreSet): RunAggregate {
  const out = aggregate as RunAggregate;
  let pairs: Array<[number, number]> | undefined;
  Object.defineProperty(out, 'scores', {
    configurable: true,
    enumerable: true,
    get: () => {
      pairs ??= pairsOfColumns(set.columns());
      return pairs;
    },
    set: (value: Array<[number, number]>) => {
      scoreSets.delete(out);
      pairs = value;
    },
  });
  scoreSets.set(out, set);
  return out;
}

/** An aggregate whose scores come in flat form (the store's v2 records). */
export function withFlatScores(aggregate: Omit<RunAggregate, 'scores'>, flat: FlatScores): RunAggregate {
  return withScoreSet(aggregate, scoreSetOfColumns(columnsOfFlat(flat)));
}

/** The aggregate's scores as a set: the one it was read with, or one made from its (score, count) list. */
export function scoreSetOf(aggregate: RunAggregate): ScoreSet {
  return scoreSets.get(aggregate) ?? scoreSetOfColumns(columnsOfPairs(aggregate.scores));
}

/** Two flat score lists merged into one (counts of equal scores summed), still flat and ascending. */
function mergeTwo(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x < y) {
      out[k] = x;
      out[k + 1] = a[i + 1] as number;
      i += 2;
    } else if (y < x) {
      out[k] = y;
      out[k + 1] = b[j + 1] as number;
      j += 2;
    } else {
      out[k] = x;
      out[k + 1] = (a[i + 1] as number) + (b[j + 1] as number);
      i += 2;
      j += 2;
    }
    k += 2;
  }
  for (; i < a.length; i++, k++) out[k] = a[i] as number;
  for (; j < b.length; j++, k++) out[k] = b[j] as number;
  return out.subarray(0, k);
}

/**
 * Sums the runs' (score, count) multisets into one, ascending. Each run's list is ascending with
 * distinct scores, so the lists are merged linearly, two by two, in rounds: every score is touched
 * once per round and there are log2(runs) rounds, however many distinct scores the runs have. Counts
 * are integers, so the sums are exact. The dashboard never needs this list (see score-set.ts); it is
 * built only when `Totals.scores` is read.
 */
function mergeScores(sets: readonly ScoreSet[]): Array<[number, number]> {
  let lists: Array<ArrayLike<number>> = sets.map((s) => flatOfColumns(s.columns()));
  while (lists.length > 1) {
    const next: Array<ArrayLike<number>> = [];
    for (let i = 0; i < lists.length; i += 2) {
      const a = lists[i] as ArrayLike<number>;
      const b = lists[i + 1];
      next.push(b === undefined ? a : mergeTwo(a, b));
    }
    lists = next;
  }
  const merged = lists[0] ?? [];
  const out: Array<[number, number]> = [];
  for (let k = 0; k < merged.length; k += 2) out.push([merged[k] as number, merged[k + 1] as number]);
  return out;
}

function mergeApi(into: ApiAggregate, from: ApiAggregate): void {
  if (from.source === 'none') return;
  into.source = into.source === 'calls' || from.source === 'calls' ? 'calls' : 'metrics';
  into.total += from.total;
  into.successful += from.successful;
  into.failed += from.failed;
  into.rt_sum += from.rt_sum;
  into.credits += from.credits;
  into.rate_limited += from.rate_limited;
  if (from.peak_per_minute !== null) {
    into.peak_per_minute = Math.max(into.peak_per_minute ?? 0, from.peak_per_minute);
  }
  for (const [name, ep] of Object.entries(from.endpoints)) {
    const target = into.endpoints[name] ?? emptyEndpoint();
    target.total += ep.total;
    target.successful += ep.successful;
    target.failed += ep.failed;
    target.rt_sum += ep.rt_sum;
    target.max_rt = Math.max(target.max_rt, ep.max_rt);
    target.credits += ep.credits;
    target.rate_limited += ep.rate_limited;
    for (const [code, n] of Object.entries(ep.status_codes)) {
      target.status_codes[code] = (target.status_codes[code] ?? 0) + n;
    }
    into.endpoints[name] = target;
  }
}

function byStart(a: RunAggregate, b: RunAggregate): number {
  return a.started_at.localeCompare(b.started_at) || a.run_id.localeCompare(b.run_id);
}

/** Period totals with the runs' score sets, in the order they were added. */
export interface MergedAggregates {
  totals: Totals;
  scoreSets: ScoreSet[];
}

/**
 * Sums run aggregates into period totals. Aggregates are merged in (started_at, run_id) order
 * so floating-point sums come out identical wherever the same runs are merged. The runs' scores are
 * kept as their score sets (figures from `addScoreSummaries`, the median from `medianOfScoreSets`);
 * `totals.scores`, the merged (score, count) list, is built only if it is read.
 */
export function mergeRunAggregates(aggregates: readonly RunAggregate[]): MergedAggregates {
  const ordered = [...aggregates].sort(byStart);
  const totals = emptyTotals();
  for (const a of ordered) {
    totals.companies += a.companies;
    totals.qualified += a.qualified;
    totals.scored += a.scored;
    for (const tier of TIERS) {
      const t = totals.tiers[tier];
      const f = a.tiers[tier];
      t.count += f.count;
      t.scored += f.scored;
      t.score_sum += f.score_sum;
      if (f.min !== null) t.min = t.min === null ? f.min : Math.min(t.min, f.min);
      if (f.max !== null) t.max = t.max === null ? f.max : Math.max(t.max, f.max);
    }
    mergeGroups(totals.industries, a.industries);
    mergeGroups(totals.sizes, a.sizes);
    mergeGroups(totals.countries, a.countries);
    for (const slot of CAMPAIGN_SLOTS) totals.campaigns[slot] += a.campaigns[slot];
    totals.quality.count += a.quality.count;
    totals.quality.sum += a.quality.sum;
    mergeApi(totals.api, a.api);
  }
  // Runs stored apart may spell a group differently (`Banking`, `banking`; older runs `USA`): one row each.
  totals.industries = foldSpellings(totals.industries);
  totals.countries = foldSpellings(totals.countries, canonicalCountry);
  const sets = ordered.map(scoreSetOf);
  let merged: Array<[number, number]> | undefined;
  Object.defineProperty(totals, 'scores', {
    configurable: true,
    enumerable: true,
    get: () => {
      merged ??= mergeScores(sets);
      return merged;
    },
    set: (value: Array<[number, number]>) => {
      merged = value;
    },
  });
  return { totals, scoreSets: sets };
}

/** Sums run aggregates into period totals (see `mergeRunAggregates`). */
export function mergeAggregates(aggregates: readonly RunAggregate[]): Totals {
  return mergeRunAggregates(aggregates).totals;
}

/** The few figures per run that trends and run lists need, kept in the run index itself. */
export interface RunHeadline {
  companies: number;
  qualified: number;
  tier_1: number;
  api_total: number;
  api_successful: number;
  /** Sum of successful calls' response times, seconds. */
  api_rt_sum: number;
  credits: number;
}

export function headlineOf(totals: Totals): RunHeadline {
  return {
    companies: totals.companies,
    qualified: totals.qualified,
    tier_1: totals.tiers['Tier 1'].count,
    api_total: totals.api.total,
    api_successful: totals.api.successful,
    api_rt_sum: totals.api.rt_sum,
    credits: totals.api.credits,
  };
}

/**
 * The largest figure a headline may store: the run index sums headlines over every run, so each stays
 * far below where a sum could lose precision or overflow to Infinity (which JSON stores as null).
 */
export const MAX_HEADLINE_FIGURE = 1e15;

/** The first headline figure that is not a finite number within bounds, or undefined when all are. */
export function unstorableHeadlineField(headline: RunHeadline): keyof RunHeadline | undefined {
  for (const [key, value] of Object.entries(headline) as Array<[keyof RunHeadline, number]>) {
    if (!Number.isFinite(value) || Math.abs(value) > MAX_HEADLINE_FIGURE) return key;
  }
  return undefined;
}

export function sumHeadlines(headlines: readonly RunHeadline[]): RunHeadline {
  const sum: RunHeadline = {
    companies: 0,
    qualified: 0,
    tier_1: 0,
    api_total: 0,
    api_successful: 0,
    api_rt_sum: 0,
    credits: 0,
  };
  for (const h of headlines) {
    sum.companies += h.companies;
    sum.qualified += h.qualified;
    sum.tier_1 += h.tier_1;
    sum.api_total += h.api_total;
    sum.api_successful += h.api_successful;
    sum.api_rt_sum += h.api_rt_sum;
    sum.credits += h.credits;
  }
  return sum;
}
