/** A value against the previous period's: the change and which way it went, within a tolerance. */
import { judgeChange, round, type Verdict } from './format.js';

export type Direction = 'Increasing' | 'Decreasing' | 'Stable' | 'Insufficient data';

export interface Trend {
  current: number | null;
  previous: number | null;
  change: number | null;
  direction: Direction;
}

/** Changes no larger than `tolerance` are `Stable`; the change is rounded to `digits` decimals. */
export function computeTrend(
  current: number | null,
  previous: number | null,
  tolerance: number,
  digits = 6,
): Trend {
  if (current === null || previous === null) {
    return { current, previous, change: null, direction: 'Insufficient data' };
  }
  const change = round(current - previous, digits);
  const direction: Direction =
    Math.abs(change) <= tolerance ? 'Stable' : change > 0 ? 'Increasing' : 'Decreasing';
  return { current, previous, change, direction };
}

/** Better, worse or stable, by the rule the digest uses too (judgeChange), within the trend's tolerance. */
export function trendVerdict(t: Trend, higherIsBetter: boolean | null): Verdict {
  if (t.direction === 'Insufficient data') return 'none';
  if (t.direction === 'Stable') return 'stable';
  return judgeChange(t.change, higherIsBetter);
}
