import { describe, expect, it } from 'vitest';
import { aggregateRun, mergeRunAggregates } from '../../../src/domain/aggregate.js';
import type { Company, Run } from '../../../src/domain/model.js';

const run = (id: string, companies: Array<Partial<Company>>): Run => ({
  run_id: id,
  started_at: `2026-11-2${id.length}T00:00:00.000Z`,
  companies: companies.map((c, i) => ({ name: `${id}-${i}`, tier: 'Tier 1', ...c })),
  api_calls: [],
  quality_scores: [],
});

describe('merging runs stored with other spellings', () => {
  it('shows one group per industry and country, named by the spelling with the most companies', () => {
    // Runs stored before spellings were unified at upload (or by another pipeline) keep their own.
    const older = aggregateRun(
      run('a', [
        { industry: 'Banking', country: 'USA' },
        { industry: 'Banking', country: 'USA' },
      ]),
    );
    const newer = aggregateRun(
      run('bb', [
        { industry: 'banking', country: 'United States' },
        { industry: 'banking', country: 'United States' },
        { industry: 'banking' },
      ]),
    );
    const { totals } = mergeRunAggregates([older, newer]);
    expect(Object.keys(totals.industries)).toEqual(['banking']);
    expect(totals.industries.banking).toMatchObject({ count: 5, tier_1: 5 });
    expect(totals.countries).toEqual({
      'United States': { count: 4, scored: 0, score_sum: 0, high_scorers: 0, tier_1: 4, qualified: 4 },
      Unknown: { count: 1, scored: 0, score_sum: 0, high_scorers: 0, tier_1: 1, qualified: 1 },
    });
  });
});
