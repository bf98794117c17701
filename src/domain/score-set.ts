/**
 * A run's ICP scores as the dashboard needs them over a year of history. With full-precision scores
 * a run has one distinct score per scored company, so merging the runs' (score, count) lists into one
 * costs millions of entries per dashboard. Instead each run carries a summary (count, sum, min, max
 * and the count per score range), which adds up across runs, and its distinct scores in sorted
 * columns, read only to find the median, and only in part: the columns are split into bins by the
 * scores' integer part, the runs' bin counts say which bin holds the k-th smallest score, and that
 * score is selected from the runs' columns of that one bin (`kthScore`), so no merged list is ever
 * built and a stored run decodes about one score in a hundred. Every figure is exact: the median is
 * an actual score (or the mean of the two middle ones), the ranges are counted with the same
 * half-open edges as `scoreBucketOf`.
 */
import { round } from './format.js';
import { SCORE_BUCKETS, type ScoreBucket, scoreBucketOf } from './model.js';

export interface ScoreSummary {
  /** How many scores (companies with a score). */
  count: number;
  /** The sum of every score, added over the distinct scores ascending (score × its count). */
  sum: number;
  /** The smallest and largest distinct score; null without any. */
  min: number | null;
  max: number | null;
  /** How many scores fall in each range (`scoreBucketOf`). */
  buckets: Record<ScoreBucket, number>;
}

export interface ScoreColumns {
  /** The distinct scores, ascending. */
  values: Float64Array;
  /** ends[i]: how many scores are at most values[i] (the counts' running total). */
  ends: Float64Array;
}

/** The first bin: every score below 0. */
export const FIRST_BIN = -1;
/** The last bin: every score from 100 up. */
export const LAST_BIN = 100;

/** A score's bin: its integer part for scores from 0 to 100, bins ascending with the scores. */
export function scoreBinOf(score: number): number {
  if (score < 0) return FIRST_BIN;
  if (score >= LAST_BIN) return LAST_BIN;
  return Math.floor(score) | 0;
}

/** How many scores each non-empty bin of a set holds. */
export interface ScoreBins {
  /** The bins holding at least one distinct score, ascending. */
  keys: ArrayLike<number>;
  /** Scores (with repeats) in each. */
  counts: ArrayLike<number>;
}

/**
 * A run's scores. A stored set decodes on demand (and throws the store's error if what it decodes is
 * damaged): `bins` reads only a small table, `binColumns` one bin's scores, `columns` all of them.
 */
export interface ScoreSet {
  readonly summary: ScoreSummary;
  bins(): ScoreBins;
  /** The sorted columns of one bin's scores (ends counted from the bin's start); empty if it has none. */
  binColumns(bin: number): ScoreColumns;
  columns(): ScoreColumns;
}

export function emptyBuckets(): Record<ScoreBucket, number> {
  return Object.fromEntries(SCORE_BUCKETS.map((b) => [b, 0])) as Record<ScoreBucket, number>;
}

/** The summary of sorted columns, in one pass. */
export function summarizeColumns({ values, ends }: ScoreColumns): ScoreSummary {
  const buckets = emptyBuckets();
  let sum = 0;
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const score = values[i] as number;
    const end = ends[i] as number;
    const n = end - previous;
    buckets[scoreBucketOf(score)] += n;
    sum += score * n;
    previous = end;
  }
  const last = values.length - 1;
  return {
    count: previous,
    sum,
    min: last >= 0 ? (values[0] as number) : null,
    max: last >= 0 ? (values[last] as number) : null,
    buckets,
  };
}

const NO_COLUMNS: ScoreColumns = { values: new Float64Array(0), ends: new Float64Array(0) };

/** Columns [from, to) of a run's columns, ends counted from `from`. */
function sliceColumns({ values, ends }: ScoreColumns, from: number, to: number): ScoreColumns {
  const base = from === 0 ? 0 : (ends[from - 1] as number);
  const sliced = new Float64Array(to - from);
  for (let i = from; i < to; i++) sliced[i - from] = (ends[i] as number) - base;
  return { values: values.subarray(from, to), ends: sliced };
}

/** A set whose columns are at hand (computed aggregates and the store's older forms). */
export function scoreSetOfColumns(columns: ScoreColumns): ScoreSet {
  const summary = summarizeColumns(columns);
  let table: { keys: number[]; counts: number[]; starts: number[] } | undefined;
  const binTable = () => {
    if (table) return table;
    const { values, ends } = columns;
    table = { keys: [], counts: [], starts: [] };
    let before = 0;
    for (let i = 0; i < values.length; ) {
      const key = scoreBinOf(values[i] as number);
      const start = i;
      while (i < values.length && scoreBinOf(values[i] as number) === key) i++;
      const end = ends[i - 1] as number;
      table.keys.push(key);
      table.counts.push(end - before);
      table.starts.push(start);
      before = end;
    }
    table.starts.push(values.length);
    return table;
  };
  return {
    summary,
    columns: () => columns,
    bins: binTable,
    binColumns: (bin) => {
      const { keys, starts } = binTable();
      const at = keys.indexOf(bin);
      return at < 0 ? NO_COLUMNS : sliceColumns(columns, starts[at] as number, starts[at + 1] as number);
    },
  };
}

/** Columns of a flat [score, count, score, count, …] list whose scores are ascending and distinct. */
export function columnsOfFlat(flat: ArrayLike<number>): ScoreColumns {
  const n = flat.length >> 1;
  const values = new Float64Array(n);
  const ends = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    values[i] = flat[2 * i] as number;
    total += flat[2 * i + 1] as number;
    ends[i] = total;
  }
  return { values, ends };
}

/** Columns of any (score, count) list: sorted and repeated scores summed when it is not already ascending. */
export function columnsOfPairs(pairs: ReadonlyArray<readonly [number, number]>): ScoreColumns {
  let ascending = true;
  for (let i = 1; i < pairs.length && ascending; i++) {
    ascending = (pairs[i - 1] as readonly [number, number])[0] < (pairs[i] as readonly [number, number])[0];
  }
  let list = pairs;
  if (!ascending) {
    const counts = new Map<number, number>();
    for (const [score, n] of pairs) counts.set(score, (counts.get(score) ?? 0) + n);
    list = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  }
  const values = new Float64Array(list.length);
  const ends = new Float64Array(list.length);
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    const [score, n] = list[i] as readonly [number, number];
    values[i] = score;
    total += n;
    ends[i] = total;
  }
  return { values, ends };
}

/** The columns back as (score, count) pairs. */
export function pairsOfColumns({ values, ends }: ScoreColumns): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const end = ends[i] as number;
    pairs.push([values[i] as number, end - previous]);
    previous = end;
  }
  return pairs;
}

/** The columns as a flat [score, count, …] list. */
export function flatOfColumns({ values, ends }: ScoreColumns): Float64Array {
  const flat = new Float64Array(values.length * 2);
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const end = ends[i] as number;
    flat[2 * i] = values[i] as number;
    flat[2 * i + 1] = end - previous;
    previous = end;
  }
  return flat;
}

/**
 * The summaries of several sets added up, in the order given (so the floating-point sum is the same
 * wherever the same runs are added in the same order).
 */
export function addScoreSummaries(summaries: readonly ScoreSummary[]): ScoreSummary {
  const out: ScoreSummary = { count: 0, sum: 0, min: null, max: null, buckets: emptyBuckets() };
  for (const s of summaries) {
    out.count += s.count;
    out.sum += s.sum;
    if (s.min !== null) out.min = out.min === null ? s.min : Math.min(out.min, s.min);
    if (s.max !== null) out.max = out.max === null ? s.max : Math.max(out.max, s.max);
    for (const b of SCORE_BUCKETS) out.buckets[b] += s.buckets[b];
  }
  return out;
}

/** First index in values[from, to) whose value is not below x. */
function lowerBound(values: Float64Array, x: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many scores come before index i of a run's columns. */
function countBefore(ends: Float64Array, i: number): number {
  return i === 0 ? 0 : (ends[i - 1] as number);
}

/**
 * The k-th smallest score (0-based, counting repeats) of all the runs' columns together, without
 * merging them. Each run keeps a window of its distinct scores that may still hold the answer; each
 * round takes as pivot the weighted median of the windows' middle scores (weighted by window
 * length), counts the scores below and at the pivot in every run by binary search, and either
 * returns the pivot or drops the side of every window that cannot hold the answer. At least a
 * quarter of the remaining entries go each round, so even a year of full-precision scores (1.8
 * million) would take about 50 rounds of (runs × log n) steps; one bin of it (see
 * `kthScoreOfSets`) takes about 35. The answer is always one of the scores.
 */
export function kthScore(runs: readonly ScoreColumns[], k: number): number {
  const m = runs.length;
  const lo = new Float64Array(m);
  const hi = new Float64Array(m);
  const cutLow = new Float64Array(m);
  const cutHigh = new Float64Array(m);
  let total = 0;
  for (let r = 0; r < m; r++) {
    const run = runs[r] as ScoreColumns;
    hi[r] = run.values.length;
    total += countBefore(run.ends, run.values.length);
  }
  if (!(k >= 0 && k < total && Number.isInteger(k))) throw new RangeError(`no score number ${k} of ${total}`);
  const pivots = new Float64Array(m);
  const weights = new Float64Array(m);
  const order: number[] = [];
  let below = 0;
  for (;;) {
    order.length = 0;
    let weight = 0;
    for (let r = 0; r < m; r++) {
      const l = lo[r] as number;
      const h = hi[r] as number;
      if (h <= l) continue;
      pivots[r] = (runs[r] as ScoreColumns).values[(l + h) >>> 1] as number;
      weights[r] = h - l;
      weight += h - l;
      order.push(r);
    }
    // Unreachable while 0 <= k < total: the k-th score is always inside a window.
    if (order.length === 0) throw new Error('score selection lost its way');
    order.sort((a, b) => (pivots[a] as number) - (pivots[b] as number));
    let pivot = pivots[order[order.length - 1] as number] as number;
    let seen = 0;
    for (const r of order) {
      seen += weights[r] as number;
      if (2 * seen >= weight) {
        pivot = pivots[r] as number;
        break;
      }
    }
    let less = below;
    let atMost = below;
    for (let r = 0; r < m; r++) {
      const l = lo[r] as number;
      const h = hi[r] as number;
      if (h <= l) {
        cutLow[r] = l;
        cutHigh[r] = l;
        continue;
      }
      const { values, ends } = runs[r] as ScoreColumns;
      const a = lowerBound(values, pivot, l, h);
      const b = a < h && (values[a] as number) <= pivot ? a + 1 : a;
      const base = countBefore(ends, l);
      less += countBefore(ends, a) - base;
      atMost += countBefore(ends, b) - base;
      cutLow[r] = a;
      cutHigh[r] = b;
    }
    if (k < less) hi.set(cutLow);
    else if (k >= atMost) {
      lo.set(cutHigh);
      below = atMost;
    } else return pivot;
  }
}

/**
 * The k-th smallest score (0-based) of all the sets: the runs' bin counts give the bin that holds it
 * and its rank there; it is selected from that bin's columns alone.
 */
export function kthScoreOfSets(sets: readonly ScoreSet[], k: number): number {
  const perBin = new Float64Array(LAST_BIN - FIRST_BIN + 1);
  for (const set of sets) {
    const { keys, counts } = set.bins();
    for (let i = 0; i < keys.length; i++) {
      const at = (keys[i] as number) - FIRST_BIN;
      perBin[at] = (perBin[at] as number) + (counts[i] as number);
    }
  }
  let below = 0;
  for (let b = 0; b < perBin.length; b++) {
    const inBin = perBin[b] as number;
    if (k < below + inBin) {
      const bin = b + FIRST_BIN;
      const columns = sets.map((s) => s.binColumns(bin)).filter((c) => c.values.length > 0);
      return kthScore(columns, k - below);
    }
    below += inBin;
  }
  throw new RangeError(`no score number ${k} of ${below}`);
}

/**
 * The true median of `n` scores held by the sets (`n` is the period's scored count): the middle
 * score, or the mean of the two middle ones when n is even. Null when there are none (or fewer
 * scores than n). Only the sets holding scores are read, and only the bins holding the middle.
 */
export function medianOfScoreSets(sets: readonly ScoreSet[], n: number): number | null {
  if (n === 0) return null;
  const holding = sets.filter((s) => s.summary.count > 0);
  let total = 0;
  for (const set of holding) {
    const { counts } = set.bins();
    for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  }
  const lowIndex = Math.floor((n - 1) / 2);
  const highIndex = Math.floor(n / 2);
  if (!(highIndex < total)) return null;
  const low = kthScoreOfSets(holding, lowIndex);
  const high = highIndex === lowIndex ? low : kthScoreOfSets(holding, highIndex);
  return round((low + high) / 2);
}
