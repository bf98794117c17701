import { describe, expect, it } from 'vitest';
import type { Company } from '../../../src/domain/model.js';
import { mergeContactRows, nameKey } from '../../../src/domain/read/people.js';

const contact = (row: number, company: Partial<Company> & { name: string }, accountId?: string) => ({
  row,
  company: { tier: 'Unqualified' as const, ...company },
  ...(accountId ? { accountId } : {}),
});

describe('mergeContactRows', () => {
  it('counts a company once, by account id, then domain, then name', () => {
    const { companies, warnings } = mergeContactRows([
      contact(2, { name: 'Acme, Inc.', domain: 'acme.example', icp_score: 88, tier: 'Tier 1' }, 'A1'),
      contact(3, { name: 'Fjord Robotics', domain: 'fjordrobotics.no', tier: 'Tier 2', icp_score: 78 }),
      contact(4, { name: 'ACME Inc', industry: 'software', icp_score: 86, tier: 'Tier 1' }, 'A1'),
      contact(5, { name: 'Fjord Robotics AS', domain: 'fjordrobotics.no', tier: 'Tier 2', icp_score: 78 }),
      contact(6, { name: 'Granite Bank', tier: 'Tier 3' }),
      contact(7, { name: 'granite bank!', country: 'United States' }),
      // Same name, another account: another company.
      contact(8, { name: 'Acme Inc' }, 'A2'),
    ]);
    expect(companies).toEqual([
      { name: 'Acme, Inc.', domain: 'acme.example', industry: 'software', icp_score: 88, tier: 'Tier 1' },
      { name: 'Fjord Robotics', domain: 'fjordrobotics.no', icp_score: 78, tier: 'Tier 2' },
      { name: 'Granite Bank', country: 'United States', tier: 'Tier 3' },
      { name: 'Acme Inc', tier: 'Unqualified' },
    ]);
    expect(warnings).toEqual([
      {
        code: 'people_export',
        message:
          'A People export: 7 contact rows, 4 companies (rows merged by Apollo Account Id, then domain, then name).',
      },
      {
        code: 'people_rows_disagree',
        message:
          '2 companies have contact rows that disagree on score or tier; the row with the highest score counts: Acme, Inc. (row 2: 88, Tier 1; row 4: 86, Tier 1) counts as 88, Tier 1 • Granite Bank (row 6: no score, Tier 3; row 7: no score, Unqualified) counts as unscored, Tier 3.',
      },
    ]);
  });

  it('lets the highest score speak for the tier too', () => {
    const { companies } = mergeContactRows([
      contact(2, { name: 'Hero', icp_score: 85, tier: 'Tier 2' }),
      contact(3, { name: 'Hero', icp_score: 95, tier: 'Tier 1' }),
    ]);
    expect(companies).toEqual([{ name: 'Hero', icp_score: 95, tier: 'Tier 1' }]);
  });

  it('normalises names for matching only', () => {
    expect(nameKey('  Société Générale, S.A. ')).toBe('societe generale s a');
  });
});
