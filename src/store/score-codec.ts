/**
 * How a run's scores are stored (aggregate v3): a summary that the dashboard adds up across runs,
 * and the distinct scores with their counts in one base64 string that is decoded only in part, and
 * only when the median needs it.
 *
 * The summary (count, sum, min, max, scores per range) is plain JSON. The string holds bytes of
 * unsigned varints:
 *
 *   bins                                  how many non-empty bins follow (see `scoreBinOf`)
 *   per bin: key gap, entries, count, bytes
 *                                         the bin (as the gap from the previous one, which starts at
 *                                         -2), its distinct scores (times 2, plus 1 when each was
 *                                         seen once), its scores with repeats, and the length of
 *                                         its segment
 *   per bin, a segment: scores, counts    the bin's distinct scores ascending, then their counts
 *                                         (left out when each was seen once)
 *
 * When every score of the run is exactly an integer over 10^d (scores with d decimals, d ≤ 12), a
 * segment's scores are that integer for the first (zigzag, it may be negative) and then the gaps;
 * otherwise (`decimals` null) 8 bytes each, float64 little-endian. A year of 6-decimal scores is
 * then about 3 bytes a score instead of 12 characters of JSON. The segments are independent, and so
 * are base64's groups of 4 characters (3 bytes): the median decodes the table and one bin's segment
 * of each run, about one score in a hundred, from the characters that hold them. Whatever is
 * decoded is checked (lengths, order, bins, counts, min and max): damage throws the store's
 * `store_unavailable`.
 */
import { z } from 'zod';
import type { ScoreBucket } from '../domain/model.js';
import { SCORE_BUCKETS } from '../domain/model.js';
import {
  emptyBuckets,
  FIRST_BIN,
  LAST_BIN,
  type ScoreBins,
  type ScoreColumns,
  type ScoreSet,
  type ScoreSummary,
  scoreBinOf,
  scoreSetOfColumns,
} from '../domain/score-set.js';
import { AppError } from '../errors.js';

export interface StoredScores {
  /** How many distinct scores `data` holds. */
  n: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** Scores per range, keyed by range. */
  buckets: Record<string, number>;
  /** d when the scores are stored as integers over 10^d, null when as float64s. */
  decimals: number | null;
  data: string;
}

/** Powers of ten written out: `10 ** d` is not guaranteed exact. */
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12] as const;
export const MAX_DECIMALS = POWERS_OF_TEN.length - 1;
/** Scaled scores stay below this, so their zigzag form (twice as large) is a safe integer. */
const MAX_SCALED = 2 ** 51;

/** The fewest decimals d such that every score is exactly an integer over 10^d; null if none up to MAX_DECIMALS. */
function decimalsOf(values: Float64Array): number | null {
  search: for (let d = 0; d <= MAX_DECIMALS; d++) {
    const scale = POWERS_OF_TEN[d] as number;
    for (const score of values) {
      // `+ 0` turns -0 into 0, so a -0 score is kept as a float64 rather than read back as 0.
      const scaled = Math.round(score * scale) + 0;
      if (!(Math.abs(scaled) < MAX_SCALED) || !Object.is(scaled / scale, score)) continue search;
    }
    return d;
  }
  return null;
}

function writeVarint(out: number[], value: number): void {
  let x = value;
  while (x >= 128) {
    out.push((x % 128) + 128);
    x = Math.floor(x / 128);
  }
  out.push(x);
}

export function encodeScores(set: ScoreSet): StoredScores {
  const { values, ends } = set.columns();
  const { count, sum, min, max, buckets } = set.summary;
  const n = values.length;
  const decimals = decimalsOf(values);
  const scale = decimals === null ? 0 : (POWERS_OF_TEN[decimals] as number);
  const table: number[] = [];
  const segments: number[] = [];
  const float = new DataView(new ArrayBuffer(8));
  let bins = 0;
  let previousKey = FIRST_BIN - 1;
  for (let from = 0; from < n; ) {
    const key = scoreBinOf(values[from] as number);
    let to = from;
    while (to < n && scoreBinOf(values[to] as number) === key) to++;
    const start = segments.length;
    let previous = 0;
    for (let i = from; i < to; i++) {
      const score = values[i] as number;
      if (decimals === null) {
        float.setFloat64(0, score, true);
        for (let b = 0; b < 8; b++) segments.push(float.getUint8(b));
        continue;
      }
      const scaled = Math.round(score * scale);
      writeVarint(segments, i === from ? (scaled < 0 ? -2 * scaled - 1 : 2 * scaled) : scaled - previous);
      previous = scaled;
    }
    const countOf = (i: number) => (ends[i] as number) - (i === 0 ? 0 : (ends[i - 1] as number));
    const binCount = (ends[to - 1] as number) - (from === 0 ? 0 : (ends[from - 1] as number));
    // Each score seen once (full-precision scores, mostly): the counts are left out.
    let once = binCount === to - from;
    for (let i = from; i < to && once; i++) once = countOf(i) === 1;
    if (!once) for (let i = from; i < to; i++) writeVarint(segments, countOf(i));
    writeVarint(table, key - previousKey);
    writeVarint(table, 2 * (to - from) + (once ? 1 : 0));
    writeVarint(table, binCount);
    writeVarint(table, segments.length - start);
    previousKey = key;
    bins += 1;
    from = to;
  }
  const head: number[] = [];
  writeVarint(head, bins);
  const bytes = Buffer.from([...head, ...table, ...segments]);
  return { n, count, sum, min, max, buckets: { ...buckets }, decimals, data: bytes.toString('base64') };
}

/** The bin table of stored scores: where each bin's segment is (offsets into the decoded bytes). */
interface BinTable extends ScoreBins {
  keys: Int32Array;
  counts: Float64Array;
  entries: Float64Array;
  /** 1 when each of the bin's scores was seen once (its counts are left out). */
  once: Uint8Array;
  offsets: Float64Array;
  lengths: Float64Array;
}

/** Bytes decoded from base64: bytes[i] is byte `base + i` of the whole. */
interface Decoded {
  bytes: Uint8Array;
  base: number;
}

/** How many bytes base64 text holds; -1 when it is not whole groups of 4. */
function decodedLength(text: string): number {
  if (text.length % 4 !== 0) return -1;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** Bytes [from, to) of base64 text, decoded from the groups of 4 characters that hold them alone. */
function decodeRange(text: string, from: number, to: number): Decoded {
  const first = Math.floor(from / 3);
  const last = Math.ceil(to / 3);
  return { bytes: Buffer.from(text.slice(first * 4, last * 4), 'base64'), base: first * 3 };
}

/** A reader of varints. Hot: a byte read past the end gives undefined, which ends a varint; callers check the position. */
class Varints {
  p: number;
  constructor(
    readonly bytes: Uint8Array,
    from: number,
  ) {
    this.p = from;
  }
  /** The next varint, or -1 when it is longer than 8 bytes (over 2^56). */
  next(): number {
    const bytes = this.bytes;
    let b = bytes[this.p++] as number;
    let x = b & 127;
    for (let unit = 128; b >= 128; unit *= 128) {
      if (unit > MAX_SCALED) return -1;
      b = bytes[this.p++] as number;
      x += (b & 127) * unit;
    }
    return x;
  }
}

/** The table is at the start and rarely longer than this: decoded first, the rest only if it is. */
const TABLE_PREFIX = 1024;

/** The bin table of `total` bytes whose first ones are `bytes`; 'more' when the table runs past them. */
function parseTable(bytes: Uint8Array, total: number, stored: StoredScores): BinTable | string {
  const reader = new Varints(bytes, 0);
  const bins = reader.next();
  if (reader.p > bytes.length || bins < 0 || bins > LAST_BIN - FIRST_BIN + 1) return 'bad bin table';
  const table: BinTable = {
    keys: new Int32Array(bins),
    counts: new Float64Array(bins),
    entries: new Float64Array(bins),
    once: new Uint8Array(bins),
    offsets: new Float64Array(bins),
    lengths: new Float64Array(bins),
  };
  let key = FIRST_BIN - 1;
  let entries = 0;
  let count = 0;
  for (let i = 0; i < bins; i++) {
    const gap = reader.next();
    const flagged = reader.next();
    const binCount = reader.next();
    const binLength = reader.next();
    if (reader.p > bytes.length) return bytes.length < total ? 'more' : 'bad bin table';
    key += gap;
    const binEntries = Math.floor(flagged / 2);
    const once = flagged % 2;
    if (gap < 1 || key !== scoreBinOf(key)) return 'bad bin';
    if (!(binEntries >= 1 && binCount >= 0 && binLength >= 1) || (once === 1 && binCount !== binEntries)) {
      return 'bad bin';
    }
    table.keys[i] = key;
    table.entries[i] = binEntries;
    table.once[i] = once;
    table.counts[i] = binCount;
    table.lengths[i] = binLength;
    entries += binEntries;
    count += binCount;
  }
  let offset = reader.p;
  for (let i = 0; i < bins; i++) {
    table.offsets[i] = offset;
    offset += table.lengths[i] as number;
  }
  if (offset !== total) return 'lengths do not add up';
  if (entries !== stored.n || count !== stored.count) return 'bins do not add up';
  return table;
}

/** The bin table of stored scores, from as few characters as hold it. */
function readTable(stored: StoredScores, whole?: Uint8Array): BinTable | string {
  const total = decodedLength(stored.data);
  if (total < 0) return 'bad base64';
  const prefix = whole ?? decodeRange(stored.data, 0, Math.min(total, TABLE_PREFIX)).bytes;
  const table = parseTable(prefix, total, stored);
  if (table !== 'more') return table;
  return parseTable(Buffer.from(stored.data, 'base64'), total, stored);
}

/**
 * Bin i's scores and counts into values/ends from `at` (ends counted on from `before`), checked; a
 * reason when damaged. The bytes given hold at least the bin's segment.
 */
function readSegment(
  { bytes, base }: Decoded,
  table: BinTable,
  i: number,
  stored: StoredScores,
  into: ScoreColumns,
  at: number,
  before: number,
): string | undefined {
  const { values, ends } = into;
  const key = table.keys[i] as number;
  const n = table.entries[i] as number;
  const start = (table.offsets[i] as number) - base;
  const end = start + (table.lengths[i] as number);
  if (start < 0 || end > bytes.length) return 'segment outside the data';
  const reader = new Varints(bytes, start);
  if (stored.decimals === null) {
    if (n * 8 > end - start) return 'segment too short';
    const view = new DataView(bytes.buffer, bytes.byteOffset + start, n * 8);
    for (let j = 0; j < n; j++) values[at + j] = view.getFloat64(j * 8, true);
    reader.p += n * 8;
  } else {
    const scale = POWERS_OF_TEN[stored.decimals] as number;
    let scaled = 0;
    for (let j = 0; j < n; j++) {
      const x = reader.next();
      if (x < 0) return 'bad score';
      if (j === 0) scaled = x % 2 === 0 ? x / 2 : -(x + 1) / 2;
      else if (x === 0) return 'repeated score';
      else scaled += x;
      if (!(scaled < MAX_SCALED && scaled > -MAX_SCALED)) return 'score out of range';
      values[at + j] = scaled / scale;
    }
  }
  let total = before;
  if (table.once[i] === 1) {
    for (let j = 0; j < n; j++) ends[at + j] = ++total;
  } else {
    for (let j = 0; j < n; j++) {
      const x = reader.next();
      if (x < 0) return 'bad count';
      total += x;
      ends[at + j] = total;
    }
  }
  if (reader.p !== end) return 'segment length differs';
  if (total - before !== table.counts[i]) return 'counts do not add up';
  for (let j = 0; j < n; j++) {
    const score = values[at + j] as number;
    if (!Number.isFinite(score) || scoreBinOf(score) !== key) return 'score outside its bin';
    if (j > 0 && !((values[at + j - 1] as number) < score)) return 'unsorted scores';
  }
  if (i === 0 && !Object.is(values[at], stored.min)) return 'min differs';
  if (i === table.keys.length - 1 && !Object.is(values[at + n - 1], stored.max)) return 'max differs';
  return undefined;
}

/** Every score of stored scores as sorted columns, or a reason they are damaged. */
export function decodeScoreColumns(stored: StoredScores): ScoreColumns | string {
  const whole: Decoded = { bytes: Buffer.from(stored.data, 'base64'), base: 0 };
  const table = readTable(stored, whole.bytes);
  if (typeof table === 'string') return table;
  const columns: ScoreColumns = { values: new Float64Array(stored.n), ends: new Float64Array(stored.n) };
  let at = 0;
  let before = 0;
  for (let i = 0; i < table.keys.length; i++) {
    const problem = readSegment(whole, table, i, stored, columns, at, before);
    if (problem) return problem;
    at += table.entries[i] as number;
    before += table.counts[i] as number;
  }
  return columns;
}

/** The stored counts per range in the current ranges' order; undefined when written with other ranges. */
function currentBuckets(stored: Record<string, number>): Record<ScoreBucket, number> | undefined {
  if (Object.keys(stored).length !== SCORE_BUCKETS.length) return undefined;
  const buckets = emptyBuckets();
  for (const b of SCORE_BUCKETS) {
    const n = stored[b];
    if (n === undefined || !Object.hasOwn(stored, b)) return undefined;
    buckets[b] = n;
  }
  return buckets;
}

/** Stored scores as a set that decodes on demand (`runId` names the run in the damage error). */
export function decodeScores(runId: string, stored: StoredScores): ScoreSet {
  const damaged = (why: string) =>
    new AppError('store_unavailable', `The scores of run ${runId} are damaged (${why}).`);
  const buckets = currentBuckets(stored.buckets);
  if (!buckets) {
    // Written with other score ranges: count them again from the scores.
    const columns = decodeScoreColumns(stored);
    if (typeof columns === 'string') throw damaged(columns);
    return scoreSetOfColumns(columns);
  }
  const { count, sum, min, max } = stored;
  const summary: ScoreSummary = { count, sum, min, max, buckets };
  let table: BinTable | undefined;
  let all: ScoreColumns | undefined;
  const decoded = new Map<number, ScoreColumns>();
  const bins = (): BinTable => {
    if (table) return table;
    const read = readTable(stored);
    if (typeof read === 'string') throw damaged(read);
    table = read;
    return table;
  };
  return {
    summary,
    bins,
    binColumns: (bin) => {
      const t = bins();
      const i = t.keys.indexOf(bin);
      if (i < 0) return { values: new Float64Array(0), ends: new Float64Array(0) };
      let columns = decoded.get(bin);
      if (!columns) {
        const n = t.entries[i] as number;
        const offset = t.offsets[i] as number;
        const segment = decodeRange(stored.data, offset, offset + (t.lengths[i] as number));
        columns = { values: new Float64Array(n), ends: new Float64Array(n) };
        const problem = readSegment(segment, t, i, stored, columns, 0, 0);
        if (problem) throw damaged(problem);
        decoded.set(bin, columns);
      }
      return columns;
    },
    columns: () => {
      if (all) return all;
      const columns = decodeScoreColumns(stored);
      if (typeof columns === 'string') throw damaged(columns);
      all = columns;
      return all;
    },
  };
}

const count = z.number().int().nonnegative();
const finite = z.number().finite();

export const storedScoresSchema = z
  .object({
    n: count,
    count,
    sum: finite,
    min: finite.nullable(),
    max: finite.nullable(),
    buckets: z.record(z.string(), count),
    decimals: z.number().int().min(0).max(MAX_DECIMALS).nullable(),
    data: z.string(),
  })
  .refine(
    (s) =>
      (s.n === 0) === (s.min === null) &&
      (s.n === 0) === (s.max === null) &&
      (s.min === null || s.max === null || s.min <= s.max) &&
      Object.values(s.buckets).reduce((a, b) => a + b, 0) === s.count,
    'expected a consistent score summary',
  );

const _check: (s: z.infer<typeof storedScoresSchema>) => StoredScores = (s) => s;
void _check;
