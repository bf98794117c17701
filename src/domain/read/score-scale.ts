/**
 * ICP scores are 0-100. A pipeline that writes 0..1 fractions (0.885) would land every company in 0-49
 * without a word, so a run whose scores are all within 0..1 (one at least strictly between) is refused
 * unless the uploader states the scale. With `0-1` stated, scores are multiplied by 100 and rounded to
 * 10 decimals (0.55 × 100 is 55.00000000000001 in floating point), and the answer says so.
 */
import type { ReadWarning } from './warnings.js';

export const SCORE_SCALES = ['0-100', '0-1'] as const;
export type ScoreScale = (typeof SCORE_SCALES)[number];

/** Reads "0-1", "1", "fraction", "0-100", "100", "percent" (case-insensitive); undefined otherwise. */
export function parseScoreScale(value: string | undefined): ScoreScale | undefined {
  const v = value?.trim().toLowerCase().replace(/\s+/g, '');
  if (v === '0-1' || v === '0..1' || v === '1' || v === 'fraction' || v === 'fractions') return '0-1';
  if (v === '0-100' || v === '0..100' || v === '100' || v === 'percent' || v === 'points') return '0-100';
  return undefined;
}

/** `scored`: how many companies have a score. */
export type ScaleOutcome =
  | { kind: 'as-is'; warnings: ReadWarning[]; scored: number }
  | { kind: 'scaled'; scale: (score: number) => number; warnings: ReadWarning[]; scored: number }
  | { kind: 'refused'; message: string; scored: number }
  | { kind: 'out-of-scale'; index: number; score: number; scored: number };

const scaleUp = (score: number): number => Number((score * 100).toFixed(10));

/**
 * Decides what to do with a run's scores (its companies in upload order; unscored ones have none).
 * `out-of-scale`: a stated 0-1 scale with a score above 1 (its index is returned for the message).
 */
export function decideScoreScale(
  companies: ReadonlyArray<{ icp_score?: number }>,
  stated: ScoreScale | undefined,
): ScaleOutcome {
  let count = 0;
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  let fractional = false;
  for (let i = 0; i < companies.length; i++) {
    const s = companies[i]?.icp_score;
    if (s === undefined) continue;
    if (stated === '0-1' && s > 1) return { kind: 'out-of-scale', index: i, score: s, scored: count };
    count++;
    if (s > max) max = s;
    if (s < min) min = s;
    if (s > 0 && s < 1) fractional = true;
  }
  if (stated === '0-100') return { kind: 'as-is', warnings: [], scored: count };
  if (stated === '0-1') {
    return {
      kind: 'scaled',
      scored: count,
      scale: scaleUp,
      warnings: [
        {
          code: 'scores_scaled',
          message: `Scores were given on a 0-1 scale and were multiplied by 100 (${count} scores).`,
        },
      ],
    };
  }
  if (count > 0 && max <= 1 && fractional) {
    return {
      kind: 'refused',
      scored: count,
      message: `ICP scores are 0-100, but all ${count} scores here are between ${min} and ${max}: they look like 0-1 fractions. Multiply them by 100, or state the scale (score_scale "0-1": a JSON field, the form's option, the score_scale query parameter or --score-scale 0-1).`,
    };
  }
  return { kind: 'as-is', warnings: [], scored: count };
}
