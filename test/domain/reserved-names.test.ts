import { describe, expect, it } from 'vitest';
import { aggregateRun, mergeAggregates } from '../../src/domain/aggregate.js';
import { parseRunUpload } from '../../src/domain/parse-run/index.js';
import { isAppError } from '../../src/errors.js';
import { parseCampaignCommand } from '../../src/features/campaigns/grammar.js';
import { makeCall, makeCompany, makeRun } from '../helpers/factories.js';

function problemsOf(text: string, format: 'json' | 'csv' = 'json') {
  try {
    parseRunUpload({ text, format, started_at: '2026-11-20T00:00:00Z' });
  } catch (error) {
    if (isAppError(error, 'upload_invalid'))
      return error.problems.map((p) => `${p.where}|${p.field}|${p.message}`);
    throw error;
  }
  return [];
}

describe('words that are names of JavaScript object machinery', () => {
  it('are not tiers or campaigns', () => {
    const run = {
      started_at: '2026-11-20T00:00:00Z',
      companies: [
        { name: 'A', tier: 'constructor' },
        { name: 'B', campaign: 'constructor' },
        { name: 'C', tier: 'toString', campaign: '__proto__' },
      ],
    };
    expect(problemsOf(JSON.stringify(run))).toEqual([
      'companies[0]|tier|expected one of Tier 1, Tier 2, Tier 3, Unqualified, got "constructor"',
      'companies[1]|campaign|expected one of Email, LinkedIn, Content, got "constructor"',
      'companies[2]|tier|expected one of Tier 1, Tier 2, Tier 3, Unqualified, got "toString"',
      'companies[2]|campaign|expected one of Email, LinkedIn, Content, got "__proto__"',
    ]);
    expect(problemsOf('Company,Tier\nAcme,constructor\n', 'csv')).toEqual([
      'row 2|Tier|expected one of Tier 1, Tier 2, Tier 3, Unqualified, got "constructor"',
    ]);
  });

  it('refuses __proto__ as an industry, country or endpoint name', () => {
    const run = {
      started_at: '2026-11-20T00:00:00Z',
      companies: [{ name: 'A', industry: '__proto__', country: ' __proto__ ' }],
      api_calls: [
        { timestamp: '2026-11-20T00:00:00Z', endpoint: '__proto__', response_time: 1, status_code: 200 },
      ],
    };
    const problems = problemsOf(JSON.stringify(run));
    expect(problems).toHaveLength(3);
    for (const p of problems) expect(p).toContain('`__proto__` is reserved');
  });

  it('are ordinary keys in the aggregates: merging never touches Object.prototype', () => {
    const run = makeRun({
      companies: [
        makeCompany({ name: 'A', industry: 'constructor', country: 'hasOwnProperty', icp_score: 90 }),
      ],
      api_calls: [makeCall({ endpoint: 'toString', status_code: 200 })],
    });
    const totals = mergeAggregates([aggregateRun(run), aggregateRun({ ...run, run_id: 'run-2' })]);
    expect(totals.industries['constructor' as string]?.count).toBe(2);
    expect(totals.countries['hasOwnProperty' as string]?.high_scorers).toBe(2);
    expect(totals.api.endpoints['toString' as string]?.total).toBe(2);
    expect(({} as Record<string, unknown>).count).toBeUndefined();
  });

  it('are not campaign channels', () => {
    for (const word of ['constructor', '__proto__', 'toString']) {
      try {
        parseCampaignCommand([word, 'sent=5']);
        expect.unreachable(word);
      } catch (error) {
        expect(isAppError(error, 'bad_command')).toBe(true);
        expect((error as Error).message).toContain('is not a campaign channel');
      }
    }
  });
});
