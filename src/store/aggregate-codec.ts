/**
 * How a run aggregate is stored. A dashboard over a year reads 365 of them cold, and most of their
 * bytes are the score multiset (one entry per distinct score: up to one per company with
 * full-precision scores) and the group tables; as nested JSON those cost more to parse and validate
 * than everything else in the dashboard together. They are stored compactly instead (v3): the
 * scores as a summary plus binary data decoded only in part when the median needs it
 * (score-codec.ts), and each group table as names plus one array of numbers.
 *
 * Decoding gives back exactly the aggregate written. Records in the earlier forms are still read:
 * v2 (scores as one flat [score, count, …] array) and v1 (plain nested JSON).
 */
import { z } from 'zod';
import {
  type GroupStat,
  type RunAggregate,
  scoreSetOf,
  withFlatScores,
  withScoreSet,
} from '../domain/aggregate.js';
import { aggregateSchema } from './schemas.js';
import { decodeScores, encodeScores, type StoredScores, storedScoresSchema } from './score-codec.js';

/** count, scored, score_sum, high_scorers, tier_1, qualified */
const GROUP_FIELDS = 6;

interface GroupTable {
  names: string[];
  /** GROUP_FIELDS numbers per name, in the order of `names`. */
  stats: number[];
}

type StoredFields = Omit<RunAggregate, 'v' | 'scores' | 'industries' | 'sizes' | 'countries'> & {
  industries: GroupTable;
  sizes: GroupTable;
  countries: GroupTable;
};

export type StoredAggregate = StoredFields & { v: 3; scores: StoredScores };

/** The previous form, still read. */
export type StoredAggregateV2 = StoredFields & {
  v: 2;
  /** Distinct scores ascending, each followed by how many companies had it. */
  scores: number[];
};

function encodeGroups(groups: Record<string, GroupStat>): GroupTable {
  const names: string[] = [];
  const stats: number[] = [];
  for (const [name, g] of Object.entries(groups)) {
    names.push(name);
    stats.push(g.count, g.scored, g.score_sum, g.high_scorers, g.tier_1, g.qualified);
  }
  return { names, stats };
}

function decodeGroups(table: GroupTable): Record<string, GroupStat> {
  const groups: Record<string, GroupStat> = {};
  const s = table.stats;
  for (let i = 0; i < table.names.length; i++) {
    const o = i * GROUP_FIELDS;
    groups[table.names[i] as string] = {
      count: s[o] as number,
      scored: s[o + 1] as number,
      score_sum: s[o + 2] as number,
      high_scorers: s[o + 3] as number,
      tier_1: s[o + 4] as number,
      qualified: s[o + 5] as number,
    };
  }
  return groups;
}

export function encodeAggregate(aggregate: RunAggregate): StoredAggregate {
  return {
    ...aggregate,
    v: 3,
    scores: encodeScores(scoreSetOf(aggregate)),
    industries: encodeGroups(aggregate.industries),
    sizes: encodeGroups(aggregate.sizes),
    countries: encodeGroups(aggregate.countries),
  };
}

/** The group tables of a flat stored aggregate (v2 or v3), the other fields kept as written. */
function decodeTables<T extends StoredAggregate | StoredAggregateV2>(stored: T) {
  // Spread whole, so every field (scores included) keeps its place in the order written.
  return {
    ...stored,
    v: 1 as const,
    industries: decodeGroups(stored.industries),
    sizes: decodeGroups(stored.sizes),
    countries: decodeGroups(stored.countries),
  };
}

/** The aggregate written; its scores stay encoded until the columns are needed (see `withScoreSet`). */
export function decodeAggregate(stored: StoredAggregate): RunAggregate {
  return withScoreSet(decodeTables(stored), decodeScores(stored.run_id, stored.scores));
}

/** An aggregate in the v2 form, as written before. */
function decodeAggregateV2(stored: StoredAggregateV2): RunAggregate {
  return withFlatScores(decodeTables(stored), stored.scores);
}

/** Checked in one loop per array: element by element through zod would cost more than the dashboard. */
function isScoreList(value: unknown): value is number[] {
  if (!Array.isArray(value) || value.length % 2 !== 0) return false;
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < value.length; i += 2) {
    const score = value[i];
    const n = value[i + 1];
    if (typeof score !== 'number' || !(score > previous) || !Number.isFinite(score)) return false;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return false;
    previous = score;
  }
  return true;
}

function isGroupTable(value: unknown): value is GroupTable {
  if (typeof value !== 'object' || value === null) return false;
  const { names, stats } = value as Partial<GroupTable>;
  if (!Array.isArray(names) || !Array.isArray(stats) || stats.length !== names.length * GROUP_FIELDS)
    return false;
  if (!names.every((n) => typeof n === 'string')) return false;
  for (let i = 0; i < stats.length; i++) {
    const x = stats[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
    // Every field but score_sum is a count.
    if (i % GROUP_FIELDS !== 2 && (!Number.isInteger(x) || x < 0)) return false;
  }
  return true;
}

const groupTable = z.custom<GroupTable>(isGroupTable, 'expected group names and their figures');

export const storedAggregateSchema = aggregateSchema.extend({
  v: z.literal(3),
  scores: storedScoresSchema,
  industries: groupTable,
  sizes: groupTable,
  countries: groupTable,
});

export const storedAggregateSchemaV2 = aggregateSchema.extend({
  v: z.literal(2),
  scores: z.custom<number[]>(isScoreList, 'expected ascending [score, count, …]'),
  industries: groupTable,
  sizes: groupTable,
  countries: groupTable,
});

const _storedCheck: (a: z.infer<typeof storedAggregateSchema>) => StoredAggregate = (a) => a;
void _storedCheck;
const _storedCheckV2: (a: z.infer<typeof storedAggregateSchemaV2>) => StoredAggregateV2 = (a) => a;
void _storedCheckV2;

/**
 * A stored aggregate read back (any form), or undefined when it is missing or damaged. The score
 * columns of a v3 record are checked when first decoded: damage there throws `store_unavailable`.
 */
export function readStoredAggregate(value: unknown): RunAggregate | undefined {
  const v = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined;
  if (v === 3) {
    const parsed = storedAggregateSchema.safeParse(value);
    return parsed.success ? decodeAggregate(parsed.data) : undefined;
  }
  if (v === 2) {
    const parsed = storedAggregateSchemaV2.safeParse(value);
    return parsed.success ? decodeAggregateV2(parsed.data) : undefined;
  }
  const parsed = aggregateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
