/**
 * Merging the score multisets of many runs (the dashboard over history): the merged list and the
 * median are those of every company's score, whatever the precision of the scores.
 */
import { describe, expect, it } from 'vitest';
import { generateRun } from '../../bench/data.js';
import {
  aggregateRun,
  mergeAggregates,
  type RunAggregate,
  withFlatScores,
} from '../../src/domain/aggregate.js';
import { medianOf } from '../../src/domain/dashboard.js';
import { round } from '../../src/domain/format.js';

function trueScores(runs: ReturnType<typeof generateRun>[]): number[] {
  return runs
    .flatMap((r) => r.companies.map((c) => c.icp_score))
    .filter((s): s is number => s !== undefined)
    .sort((a, b) => a - b);
}

function countsOf(sorted: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] === s) last[1] += 1;
    else out.push([s, 1]);
  }
  return out;
}

describe('mergeAggregates: scores', () => {
  it.each([0, 1, 2, 6])('equal every company’s scores counted together (%i decimals)', (scoreDecimals) => {
    const runs = Array.from({ length: 30 }, (_, day) =>
      generateRun({
        seed: 100 + day,
        runId: `run-${day}`,
        startedAt: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(),
        companies: 200 + day * 7,
        calls: 0,
        scoreDecimals,
      }),
    );
    const totals = mergeAggregates(runs.map(aggregateRun));
    const sorted = trueScores(runs);
    expect(totals.scores).toEqual(countsOf(sorted));
    expect(totals.scored).toBe(sorted.length);
    const mid = sorted.length >> 1;
    const median =
      sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    expect(medianOf(totals.scores, totals.scored)).toBe(round(median as number));
  });

  it('accepts lists that are not ascending or repeat a score (hand-written or older records)', () => {
    const base = aggregateRun(
      generateRun({ seed: 1, runId: 'a', startedAt: '2026-01-01', companies: 0, calls: 0, scoreDecimals: 1 }),
    );
    const a: RunAggregate = {
      ...base,
      run_id: 'a',
      scores: [
        [70, 1],
        [50, 2],
        [70, 3],
      ],
      scored: 6,
    };
    const b: RunAggregate = {
      ...base,
      run_id: 'b',
      scores: [
        [50, 1],
        [60, 1],
      ],
      scored: 2,
    };
    const c: RunAggregate = { ...base, run_id: 'c', scores: [], scored: 0 };
    expect(mergeAggregates([a, b, c]).scores).toEqual([
      [50, 3],
      [60, 1],
      [70, 4],
    ]);
  });

  it('gives the same totals in any order of the runs', () => {
    const aggregates = Array.from({ length: 12 }, (_, i) =>
      aggregateRun(
        generateRun({
          seed: i,
          runId: `r${i}`,
          startedAt: new Date(Date.UTC(2026, 1, 1 + i)).toISOString(),
          companies: 150,
          calls: 20,
          scoreDecimals: 2,
        }),
      ),
    );
    expect(mergeAggregates([...aggregates].reverse())).toEqual(mergeAggregates(aggregates));
  });
});

describe('withFlatScores (aggregates as the store reads them)', () => {
  const computed = (seed: number) =>
    aggregateRun(
      generateRun({
        seed,
        runId: `r${seed}`,
        startedAt: new Date(Date.UTC(2026, 2, 1 + seed)).toISOString(),
        companies: 300,
        calls: 10,
        scoreDecimals: 1,
      }),
    );
  const flatOf = (a: RunAggregate) => a.scores.flat();
  const fromFlat = (a: RunAggregate): RunAggregate => {
    const { scores: _scores, ...rest } = a;
    return withFlatScores(structuredClone(rest), flatOf(a));
  };

  it('reads like the aggregate it came from, copies included', () => {
    const a = computed(1);
    const b = fromFlat(a);
    expect(b).toEqual(a);
    expect(b.scores).toBe(b.scores);
    expect({ ...b }).toEqual(a);
    expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
  });

  it('merges to the same totals as the computed aggregates, mixed or not', () => {
    const aggregates = [1, 2, 3, 4].map(computed);
    const expected = mergeAggregates(aggregates);
    expect(mergeAggregates(aggregates.map(fromFlat))).toEqual(expected);
    expect(mergeAggregates(aggregates.map((a, i) => (i % 2 ? fromFlat(a) : a)))).toEqual(expected);
  });

  it('follows a new score list written over the flat one', () => {
    const b = fromFlat(computed(1));
    b.scores = [[50, 2]];
    expect(b.scores).toEqual([[50, 2]]);
    expect(mergeAggregates([b]).scores).toEqual([[50, 2]]);
  });
});
