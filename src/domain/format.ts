/** Number formatting shared by every surface, so the dashboard, digest, alerts and exports agree. */

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInt(n: number): string {
  return intFormat.format(n);
}

/** A fraction 0..1 as a percentage, e.g. 0.1234 -> "12.3%"; null -> "n/a". */
export function formatPercent(fraction: number | null, digits = 1): string {
  return fraction === null ? 'n/a' : `${(fraction * 100).toFixed(digits)}%`;
}

/** Seconds as "1.23s"; null -> "n/a". */
export function formatSeconds(seconds: number | null): string {
  return seconds === null ? 'n/a' : `${seconds.toFixed(2)}s`;
}

/** A score 0..100 with one decimal; null -> "n/a". */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : score.toFixed(1);
}

/** A signed change in percentage points, e.g. +1.5 pp. */
export function formatPointChange(fractionChange: number): string {
  const pp = fractionChange * 100;
  return `${pp >= 0 ? '+' : '−'}${Math.abs(pp).toFixed(1)} pp`;
}

export function formatSignedSeconds(change: number): string {
  return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(2)}s`;
}

/** part / whole, rounded like every rate in the model; null when there is no whole. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? round(part / whole) : null;
}

/** Rounds away binary noise so sums merged in a different order print the same. */
export function round(n: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A text sparkline scaled between the series' own min and max. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values
    .map((v) =>
      max === min ? SPARKS[3] : SPARKS[Math.round(((v - min) / (max - min)) * (SPARKS.length - 1))],
    )
    .join('');
}
