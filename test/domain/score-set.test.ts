/**
 * Score sets: the period's score figures (ranges, mean, min, max) from the runs' summaries, and the
 * exact median selected from the runs' sorted columns without merging them.
 */
import { describe, expect, it } from 'vitest';
import { createRandom, generateRun } from '../../bench/data.js';
import { aggregateRun, mergeAggregates, mergeRunAggregates } from '../../src/domain/aggregate.js';
import { medianOf } from '../../src/domain/dashboard.js';
import { round } from '../../src/domain/format.js';
import { scoreBucketOf } from '../../src/domain/model.js';
import {
  addScoreSummaries,
  columnsOfPairs,
  kthScore,
  kthScoreOfSets,
  medianOfScoreSets,
  type ScoreColumns,
  type ScoreSet,
  scoreBinOf,
  scoreSetOfColumns,
} from '../../src/domain/score-set.js';
import { dashboardOf, makeCompany, makeRun } from '../helpers/factories.js';

/** A run's set from its raw scores. */
function setOf(scores: readonly number[]): ScoreSet {
  return scoreSetOfColumns(columnsOfPairs(scores.map((s) => [s, 1] as [number, number])));
}

/** The median as a sort of every score would give it. */
function sortedMedian(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const sorted = [...scores].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return round(m as number);
}

function medianOfRuns(runs: ReadonlyArray<readonly number[]>): number | null {
  const sets = runs.map(setOf);
  return medianOfScoreSets(
    sets,
    runs.reduce((n, r) => n + r.length, 0),
  );
}

describe('kthScore', () => {
  it('selects every rank of several runs, repeats counted', () => {
    const runs = [
      [1, 5, 5, 9],
      [5, 7],
      [0.5, 9, 9, 9, 12],
    ];
    const all = runs.flat().sort((a, b) => a - b);
    const columns = runs.map((r) => setOf(r).columns());
    expect(all.map((_, k) => kthScore(columns, k))).toEqual(all);
  });

  it('refuses a rank outside the scores', () => {
    const columns = [setOf([1, 2]).columns()];
    expect(() => kthScore(columns, 2)).toThrow(RangeError);
    expect(() => kthScore(columns, -1)).toThrow(RangeError);
    expect(() => kthScore([], 0)).toThrow(RangeError);
  });

  it('skips scores with a count of zero (older hand-written records)', () => {
    const columns: ScoreColumns[] = [
      columnsOfPairs([
        [10, 0],
        [20, 2],
        [30, 0],
      ]),
      columnsOfPairs([
        [15, 0],
        [25, 1],
      ]),
    ];
    expect([0, 1, 2].map((k) => kthScore(columns, k))).toEqual([20, 20, 25]);
  });

  it('agrees with sorting on random runs of every shape', () => {
    const random = createRandom(2026);
    for (let trial = 0; trial < 300; trial++) {
      const decimals = random.int(0, 6);
      const scale = 10 ** decimals;
      const runs = Array.from({ length: random.int(1, 12) }, () =>
        Array.from({ length: random.int(0, 40) }, () => Math.round(random.next() * 100 * scale) / scale),
      );
      const all = runs.flat().sort((a, b) => a - b);
      if (all.length === 0) continue;
      const columns = runs.map((r) => setOf(r).columns());
      const k = random.int(0, all.length - 1);
      expect(kthScore(columns, k)).toBe(all[k]);
      expect(kthScoreOfSets(runs.map(setOf), k)).toBe(all[k]);
      expect(medianOfRuns(runs)).toBe(sortedMedian(all));
    }
  });
});

describe('medianOfScoreSets', () => {
  it('is the middle score of an odd count', () => {
    expect(medianOfRuns([[3, 1], [2]])).toBe(2);
    expect(medianOfRuns([[7]])).toBe(7);
  });

  it('is the mean of the two middle scores of an even count, from different runs', () => {
    expect(
      medianOfRuns([
        [1, 10],
        [2, 20],
      ]),
    ).toBe(6);
    expect(
      medianOfRuns([
        [1, 1],
        [9, 9],
      ]),
    ).toBe(5);
    expect(medianOfRuns([[88.123456], [88.123457]])).toBe(round((88.123456 + 88.123457) / 2));
  });

  it('counts a score repeated across runs once per company', () => {
    expect(medianOfRuns([[50, 50], [50, 90], [10]])).toBe(50);
    expect(medianOfRuns([[50], [50], [60], [60]])).toBe(55);
  });

  it('works on one run and gives null for none', () => {
    expect(medianOfRuns([[4, 8, 15, 16, 23, 42]])).toBe(15.5);
    expect(medianOfRuns([])).toBeNull();
    expect(medianOfRuns([[], []])).toBeNull();
    expect(medianOfScoreSets([setOf([1, 2])], 5)).toBeNull();
  });

  it('reads only the bins holding the middle scores, never a set without scores or all the columns', () => {
    const asked: Array<[string, number | 'all']> = [];
    const spy = (name: string, set: ScoreSet): ScoreSet => ({
      summary: set.summary,
      bins: () => set.bins(),
      binColumns: (bin) => {
        asked.push([name, bin]);
        return set.binColumns(bin);
      },
      columns: () => {
        asked.push([name, 'all']);
        return set.columns();
      },
    });
    const none = spy('none', setOf([]));
    const a = spy('a', setOf([10.5, 49.25, 49.75, 88]));
    const b = spy('b', setOf([50, 50.5, 99.999, 12]));
    // Sorted: 10.5 12 49.25 49.75 | 50 50.5 88 99.999: the middle two straddle bins 49 and 50.
    expect(medianOfScoreSets([none, a, b], 8)).toBe(49.875);
    expect(asked).toEqual([
      ['a', 49],
      ['b', 49],
      ['a', 50],
      ['b', 50],
    ]);
  });

  it('selects across the first and last bins (scores below 0 and from 100 up)', () => {
    const runs = [
      [-20, -0.5, 100, 250],
      [-3, 0, 99.5, 1e6],
    ];
    const sets = runs.map(setOf);
    const all = runs.flat().sort((x, y) => x - y);
    expect(all.map((_, k) => kthScoreOfSets(sets, k))).toEqual(all);
    expect(() => kthScoreOfSets(sets, all.length)).toThrow(RangeError);
    expect(scoreBinOf(-0.5)).toBe(-1);
    expect(scoreBinOf(-0)).toBe(0);
    expect(scoreBinOf(99.999999)).toBe(99);
    expect(scoreBinOf(100)).toBe(100);
    expect(scoreBinOf(1e300)).toBe(100);
  });

  it('matches walking the merged list (medianOf) on a month of full-precision runs', () => {
    const runs = Array.from({ length: 31 }, (_, day) =>
      generateRun({
        seed: 500 + day,
        runId: `run-${day}`,
        startedAt: new Date(Date.UTC(2026, 4, 1 + day)).toISOString(),
        companies: 150 + day * 11,
        calls: 0,
        scoreDecimals: 6,
      }),
    );
    const { totals, scoreSets } = mergeRunAggregates(runs.map(aggregateRun));
    const raw = runs.flatMap((r) =>
      r.companies.flatMap((c) => (c.icp_score === undefined ? [] : [c.icp_score])),
    );
    expect(medianOfScoreSets(scoreSets, totals.scored)).toBe(medianOf(totals.scores, totals.scored));
    expect(medianOfScoreSets(scoreSets, totals.scored)).toBe(sortedMedian(raw));
  });
});

describe('score summaries', () => {
  it('put fractional scores at the range edges in half-open ranges, across runs', () => {
    const runs = [
      [89.5, 90, 100, 49.99],
      [50, 59.999999, 60],
      [79.5, 80, 89.999999, 69.9, 70],
    ];
    const total = addScoreSummaries(runs.map((r) => setOf(r).summary));
    const expected = { '90-100': 0, '80-89': 0, '70-79': 0, '60-69': 0, '50-59': 0, '0-49': 0 };
    for (const s of runs.flat()) expected[scoreBucketOf(s)] += 1;
    expect(total.buckets).toEqual(expected);
    expect(total.buckets).toEqual({ '90-100': 2, '80-89': 3, '70-79': 2, '60-69': 2, '50-59': 2, '0-49': 1 });
    expect(total).toMatchObject({ count: 12, min: 49.99, max: 100 });
  });

  it('add up to the figures of the merged list', () => {
    const aggregates = Array.from({ length: 9 }, (_, day) =>
      aggregateRun(
        generateRun({
          seed: 900 + day,
          runId: `r${day}`,
          startedAt: new Date(Date.UTC(2026, 6, 1 + day)).toISOString(),
          companies: 300,
          calls: 0,
          scoreDecimals: 3,
        }),
      ),
    );
    const { totals, scoreSets } = mergeRunAggregates(aggregates);
    const sum = addScoreSummaries(scoreSets.map((s) => s.summary));
    const merged = mergeAggregates(aggregates).scores;
    expect(sum.count).toBe(totals.scored);
    expect(sum.min).toBe(merged[0]?.[0]);
    expect(sum.max).toBe(merged[merged.length - 1]?.[0]);
    const buckets = { '90-100': 0, '80-89': 0, '70-79': 0, '60-69': 0, '50-59': 0, '0-49': 0 };
    let total = 0;
    for (const [score, n] of merged) {
      buckets[scoreBucketOf(score)] += n;
      total += score * n;
    }
    expect(sum.buckets).toEqual(buckets);
    expect(round(sum.sum / sum.count)).toBe(round(total / totals.scored));
  });

  it('are empty without scores', () => {
    expect(addScoreSummaries([])).toEqual({
      count: 0,
      sum: 0,
      min: null,
      max: null,
      buckets: { '90-100': 0, '80-89': 0, '70-79': 0, '60-69': 0, '50-59': 0, '0-49': 0 },
    });
  });
});

describe('the dashboard’s score distribution', () => {
  it('is exact over runs with fractional and repeated scores', () => {
    const run = (id: string, day: number, scores: number[]) =>
      makeRun({
        run_id: id,
        started_at: new Date(Date.UTC(2026, 10, day)).toISOString(),
        companies: scores.map((s, i) => makeCompany({ name: `${id}-${i}`, icp_score: s })),
      });
    const runs = [run('a', 1, [89.5, 90, 49.999]), run('b', 2, [89.5, 80, 12.25]), run('c', 3, [89.5])];
    const d = dashboardOf(runs).qualification_analytics.score_distribution;
    expect(d).toEqual({
      scored: 7,
      unscored: 0,
      min_score: 12.25,
      max_score: 90,
      average_score: round((89.5 * 3 + 90 + 49.999 + 80 + 12.25) / 7),
      median_score: 89.5,
      score_ranges: { '90-100': 1, '80-89': 4, '70-79': 0, '60-69': 0, '50-59': 0, '0-49': 2 },
    });
  });
});
