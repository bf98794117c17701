/** The App Home view from fixed data: what the tier filter narrows, and what it says it cannot. */

import type { DataTableBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderHomeView } from '../../../src/features/home/view.js';
import { companies, dashboardOf, makeRun } from '../../helpers/factories.js';
import { homeViewSchema } from '../../helpers/slack-limits.js';

// 8 companies: Software/Germany holds Tier 1 ×3 and Tier 2 ×1, Retail/France Tier 1 ×1 and
// Unqualified ×3. Tier 1 = 4.
const model = dashboardOf([
  makeRun({
    run_id: 'r1',
    companies: companies(8, (i) => ({
      industry: i < 4 ? 'Software' : 'Retail',
      country: i < 4 ? 'Germany' : 'France',
      tier: i < 3 || i === 4 ? 'Tier 1' : i === 3 ? 'Tier 2' : 'Unqualified',
      icp_score: i < 3 || i === 4 ? 90 : 40,
    })),
  }),
]);

function render(tier: 'all' | 'Tier 1' | 'Tier 2') {
  const view = renderHomeView({
    model,
    alerts: { notes: [], open: [] },
    period: '7d',
    tier,
    updatedAt: '2026-11-24T12:00:00.000Z',
  });
  const result = homeViewSchema.safeParse(view);
  expect(result.success ? [] : result.error.issues).toEqual([]);
  const tables = Object.fromEntries(
    view.blocks
      .filter((b): b is DataTableBlock => b.type === 'data_table')
      .map((b) => [b.caption, b.rows.map((r) => r.map((c) => ('text' in c ? c.text : '')))]),
  );
  return { view, tables, text: JSON.stringify(view) };
}

describe('the App Home tier filter', () => {
  it('narrows the industry and country tables to Tier 1 from the per-group Tier 1 counts', () => {
    const { tables, text } = render('Tier 1');
    // Software 3 of the 4 Tier 1 (75.0 %), 3 of its 4 companies (75.0 %); Retail 1 (25.0 %, 1 of 4).
    expect(tables['Industries · Tier 1']).toEqual([
      ['Industry', 'Tier 1', 'Share of Tier 1', 'Tier 1 of group', 'All companies'],
      ['Software', '3', '75.0%', '75.0%', '4'],
      ['Retail', '1', '25.0%', '25.0%', '4'],
    ]);
    expect(tables['Countries · Tier 1']).toEqual([
      ['Country', 'Tier 1', 'Share of Tier 1', 'Tier 1 of group', 'All companies'],
      ['Germany', '3', '75.0%', '75.0%', '4'],
      ['France', '1', '25.0%', '25.0%', '4'],
    ]);
    expect(tables.Industries).toBeUndefined();
    expect(text).toContain('*Tier 1*: 4 companies (50.0% of the period)');
    expect(text).toContain('the API endpoints are for all tiers');
  });

  it('adds up the Tier 1 groups past the tenth in one row, so no Tier 1 account drops out', () => {
    // 12 industries, industry k holding k+1 companies of which one is Tier 1: 12 Tier 1 in all.
    const many = dashboardOf([
      makeRun({
        run_id: 'r2',
        companies: Array.from({ length: 12 }, (_, k) =>
          companies(k + 1, (i) => ({
            name: `Co ${k}-${i}`,
            industry: `Industry ${String(k).padStart(2, '0')}`,
            tier: i === 0 ? 'Tier 1' : 'Unqualified',
          })),
        ).flat(),
      }),
    ]);
    const view = renderHomeView({
      model: many,
      alerts: { notes: [], open: [] },
      period: '7d',
      tier: 'Tier 1',
      updatedAt: '2026-11-24T12:00:00.000Z',
    });
    const table = view.blocks
      .filter((b): b is DataTableBlock => b.type === 'data_table')
      .find((b) => b.caption === 'Industries · Tier 1');
    const rows = (table?.rows ?? []).map((r) => r.map((c) => ('text' in c ? c.text : '')));
    // 9 industries by name (ties of 1 Tier 1 each), then the other 3 (Industry 09, 10, 11: 10 + 11
    // + 12 = 33 companies, 3 Tier 1 = 25.0 % of 12 and 3/33 = 9.1 % of the group).
    expect(rows).toHaveLength(11);
    expect(rows[1]).toEqual(['Industry 00', '1', '8.3%', '100.0%', '1']);
    expect(rows[10]).toEqual(['All others (3 names)', '3', '25.0%', '9.1%', '33']);
  });

  it('says plainly that the tables are for all tiers when the tier has no per-group counts', () => {
    const { tables, text } = render('Tier 2');
    // All tiers: each industry and country has 4 companies (50.0 %).
    expect(tables.Industries?.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['Retail', '4', '50.0%'],
      ['Software', '4', '50.0%'],
    ]);
    expect(text).toContain('*Tier 2*: 1 companies (12.5% of the period)');
    expect(text).toContain('Tables and charts below are for *all tiers*');
    expect(text).toContain('not for Tier 2');
  });

  it('shows the unfiltered tables without a note for all tiers', () => {
    const { tables, text } = render('all');
    expect(Object.keys(tables)).toContain('Industries');
    expect(text).not.toContain('all tiers');
  });
});
