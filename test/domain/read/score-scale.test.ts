import { describe, expect, it } from 'vitest';
import { decideScoreScale, parseScoreScale } from '../../../src/domain/read/score-scale.js';

const scored = (scores: Array<number | undefined>) =>
  scores.map((icp_score) => (icp_score === undefined ? {} : { icp_score }));

describe('decideScoreScale', () => {
  const fractions = scored([0.91, 0.885, undefined, 0.55, 0.35]);

  it('refuses scores that are all within 0..1 unless the scale is stated', () => {
    expect(decideScoreScale(fractions, undefined)).toEqual({
      kind: 'refused',
      scored: 4,
      message:
        'ICP scores are 0-100, but all 4 scores here are between 0.35 and 0.91: they look like 0-1 fractions. Multiply them by 100, or state the scale (score_scale "0-1": a JSON field, the form\'s option, the score_scale query parameter or --score-scale 0-1).',
    });
  });

  it('scales stated fractions and rounds away floating-point noise', () => {
    const outcome = decideScoreScale(fractions, '0-1');
    if (outcome.kind !== 'scaled') throw new Error(outcome.kind);
    expect(0.55 * 100).toBe(55.00000000000001);
    expect([0.91, 0.885, 0.55, 0.35].map(outcome.scale)).toEqual([91, 88.5, 55, 35]);
    expect(outcome.warnings[0]?.code).toBe('scores_scaled');
    expect(decideScoreScale(scored([0.5, 2]), '0-1')).toEqual({
      kind: 'out-of-scale',
      index: 1,
      score: 2,
      scored: 1,
    });
  });

  it('leaves 0-100 scores, all-0-or-1 scores and a stated 0-100 alone', () => {
    expect(decideScoreScale(scored([88, 0.5]), undefined).kind).toBe('as-is');
    expect(decideScoreScale(scored([0, 1, 1]), undefined).kind).toBe('as-is');
    expect(decideScoreScale(scored([0.5]), '0-100').kind).toBe('as-is');
    expect(decideScoreScale(scored([undefined]), undefined).kind).toBe('as-is');
  });

  it('parses the ways people state a scale', () => {
    expect(['0-1', 'fraction', '1', '0..1'].map(parseScoreScale)).toEqual(['0-1', '0-1', '0-1', '0-1']);
    expect(['0-100', 'percent', '100'].map(parseScoreScale)).toEqual(['0-100', '0-100', '0-100']);
    expect(parseScoreScale('tenths')).toBeUndefined();
  });
});
