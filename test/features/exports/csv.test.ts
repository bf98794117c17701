/** CSV exports: RFC 4180 quoting, formula neutralising, the generic flattening and the companies list. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  COMPANIES_CSV_HEADER,
  type CompanyRow,
  renderCompaniesCsv,
  selectCompanyRows,
} from '../../../src/features/exports/companies-csv.js';
import { csvCell, csvLine, neutralizeCell } from '../../../src/features/exports/csv.js';
import { flattenDashboard, renderDashboardCsv } from '../../../src/features/exports/dashboard-csv.js';
import { dashboardOf, makeCompany, makeRun } from '../../helpers/factories.js';
import { exportOf, exportRuns, HOSTILE } from './fixtures.js';

const records = (csv: string): string[][] => parse(csv, { relax_column_count: false }) as string[][];

describe('CSV cells', () => {
  it('prefixes a quote to cells a spreadsheet would run as a formula', () => {
    expect(neutralizeCell('=1+1')).toBe("'=1+1");
    expect(neutralizeCell('+1 555')).toBe("'+1 555");
    expect(neutralizeCell('-2+3+cmd')).toBe("'-2+3+cmd");
    expect(neutralizeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeCell('\tx')).toBe("'\tx");
    expect(neutralizeCell('\rx')).toBe("'\rx");
    expect(neutralizeCell('Acme =1')).toBe('Acme =1');
  });

  it('keeps plain numbers, negative ones included, as numbers', () => {
    expect(neutralizeCell('-0.25')).toBe('-0.25');
    expect(neutralizeCell('-42')).toBe('-42');
    expect(neutralizeCell('1e-7')).toBe('1e-7');
    expect(csvCell(-0.012)).toBe('-0.012');
    expect(neutralizeCell('-1e5+1')).toBe("'-1e5+1");
    expect(neutralizeCell('-')).toBe("'-");
  });

  it('quotes as RFC 4180 asks: commas, quotes, CR and LF; blanks for null', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('\rstart')).toBe(`"'\rstart"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvLine(['a', 1, null, '=x'])).toBe("a,1,,'=x\r\n");
  });

  it('reads back with a standard CSV parser to the neutralised values', () => {
    const values = Object.values(HOSTILE);
    const parsed = records(csvLine(values));
    expect(parsed).toEqual([values.map((v) => neutralizeCell(v))]);
  });
});

describe('the dashboard CSV', () => {
  it('has one row per figure with the tier, industry, size band, country, endpoint or run as dimension', async () => {
    const file = await exportOf(exportRuns(), { format: 'csv' });
    const rows = records(file.content);
    expect(rows[0]).toEqual(['section', 'metric', 'dimension', 'value']);
    for (const r of rows) expect(r).toHaveLength(4);
    const find = (section: string, metric: string, dimension = '') =>
      rows.filter((r) => r[0] === section && r[1] === metric && r[2] === dimension).map((r) => r[3]);
    expect(find('report', 'generated_at')).toEqual(['2026-11-24T12:00:00.000Z']);
    expect(find('period', 'key')).toEqual(['7d']);
    expect(find('runs', 'count')).toEqual(['2']);
    expect(find('executive_summary', 'total_companies_discovered')).toEqual(['12']);
    expect(find('executive_summary', 'qualification_rate')).toEqual(['0.583333']);
    expect(find('qualification_analytics', 'tier_breakdown.count', 'Tier 1')).toEqual(['2']);
    expect(find('qualification_analytics', 'score_distribution.score_ranges', '80-89')).toEqual(['2']);
    expect(find('qualification_analytics', 'industry_analysis.count', 'Software')).toEqual(['4']);
    expect(
      find('qualification_analytics', 'industry_analysis.count', '<img src=x onerror=alert(1)>'),
    ).toEqual(['1']);
    expect(find('qualification_analytics', 'size_analysis.count', '51-200')).toEqual(['3']);
    // A country typed as a formula is written as text.
    expect(find('qualification_analytics', 'geographic_analysis.count', "'=cmd|calc")).toEqual(['1']);
    expect(find('search_performance', 'endpoints.total_calls', '/organizations/enrich')).toEqual(['2']);
    expect(find('search_performance', 'endpoints.status_codes.429', '/mixed_companies/search')).toEqual([
      '1',
    ]);
    expect(find('campaign_performance', 'campaign_distribution', 'LinkedIn')).toEqual(['2']);
    expect(find('trends', 'qualification_rate_sparkline.runs.qualification_rate', 'run-2026-11-14')).toEqual([
      '0.333333',
    ]);
    expect(Number(find('trends', 'qualification_rate.change')[0])).toBeCloseTo(7 / 12 - 1 / 3, 5);
    // A negative figure stays a plain number (API success fell from 4/4 to 24/26).
    expect(find('trends', 'api_success_rate.change')).toEqual(['-0.076923']);
    await expect(file.content).toMatchFileSnapshot('__snapshots__/export/dashboard.csv');
  });

  it('leaves null figures empty, and writes no rows for empty lists', async () => {
    const file = await exportOf([], { format: 'csv' });
    const rows = records(file.content);
    const value = (section: string, metric: string) =>
      rows.find((r) => r[0] === section && r[1] === metric)?.[3];
    expect(value('runs', 'count')).toBe('0');
    expect(value('executive_summary', 'qualification_rate')).toBe('');
    expect(value('trends', 'qualification_rate.change')).toBe('');
    expect(rows.some((r) => r[1]?.startsWith('endpoints.'))).toBe(false);
    expect(rows.some((r) => r[0] === 'recommendations')).toBe(false);
    await expect(file.content).toMatchFileSnapshot('__snapshots__/export/dashboard-empty.csv');
  });

  it('numbers list items without an identifying field by position', () => {
    const model = dashboardOf([makeRun({ companies: [makeCompany({ name: 'A' })] })]);
    const rows = flattenDashboard(model).filter((r) => r.section === 'recommendations');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.find((r) => r.metric === 'message')?.dimension).toBe('1');
  });

  it('walks sections it has never seen: keys that are values become the dimension', () => {
    const model = dashboardOf([makeRun({ companies: [makeCompany({ name: 'A', tier: 'Tier 1' })] })]);
    const extended = {
      ...model,
      pipeline_health: {
        stages: [{ stage: 'discovered', count: 1 }],
        by_channel: { Email: { sent: 3, rate: -0.5 } },
      },
    };
    const rows = flattenDashboard(extended as unknown as typeof model).filter(
      (r) => r.section === 'pipeline_health',
    );
    expect(rows).toEqual([
      { section: 'pipeline_health', metric: 'stages.count', dimension: 'discovered', value: 1 },
      { section: 'pipeline_health', metric: 'by_channel.sent', dimension: 'Email', value: 3 },
      { section: 'pipeline_health', metric: 'by_channel.rate', dimension: 'Email', value: -0.5 },
    ]);
    expect(renderDashboardCsv(extended as unknown as typeof model)).toContain(
      'pipeline_health,by_channel.rate,Email,-0.5\r\n',
    );
  });
});

describe('the companies CSV', () => {
  const rowsOf = (companies: ReturnType<typeof makeCompany>[], run = 'r1'): CompanyRow[] =>
    companies.map((company) => ({ run_id: run, company }));

  it('sorts by score, unscored last, ties by name and run', () => {
    const rows = selectCompanyRows(
      [
        ...rowsOf([makeCompany({ name: 'B', icp_score: 80 }), makeCompany({ name: 'U' })], 'r2'),
        ...rowsOf(
          [makeCompany({ name: 'B', icp_score: 80 }), makeCompany({ name: 'A', icp_score: 80 })],
          'r1',
        ),
        ...rowsOf([makeCompany({ name: 'Z', icp_score: 99.5 })], 'r1'),
      ],
      null,
    );
    expect(rows.map((r) => `${r.company.name}@${r.run_id}`)).toEqual([
      'Z@r1',
      'A@r1',
      'B@r1',
      'B@r2',
      'U@r2',
    ]);
  });

  it('filters by tier', () => {
    const all = rowsOf(
      (['Tier 1', 'Tier 2', 'Tier 3', 'Unqualified'] as const).map((tier) =>
        makeCompany({ name: tier, tier }),
      ),
    );
    const names = (filter: Parameters<typeof selectCompanyRows>[1]) =>
      selectCompanyRows(all, filter).map((r) => r.company.name);
    expect(names('1')).toEqual(['Tier 1']);
    expect(names('2')).toEqual(['Tier 2']);
    expect(names('3')).toEqual(['Tier 3']);
    expect(names('qualified')).toEqual(['Tier 1', 'Tier 2', 'Tier 3']);
    expect(names(null)).toHaveLength(4);
  });

  it('writes every company of the period, defusing formulas and keeping odd names intact', async () => {
    const file = await exportOf(exportRuns(), { format: 'companies' });
    expect(file.companies).toBe(12);
    const rows = records(file.content);
    expect(rows[0]).toEqual([...COMPANIES_CSV_HEADER]);
    expect(rows).toHaveLength(13);
    expect(rows[1]).toEqual([
      'run-2026-11-23',
      `'${HOSTILE.hyperlink}`,
      'evil.example',
      'Software',
      '120',
      'Germany',
      '97.5',
      'Tier 1',
      'Email',
    ]);
    const names = rows.slice(1).map((r) => r[1]);
    expect(names).toContain(HOSTILE.script);
    expect(names).toContain(HOSTILE.channel);
    expect(names).toContain(`'${HOSTILE.cmd}`);
    expect(names).toContain(`'${HOSTILE.at}`);
    expect(names).toContain(`'${HOSTILE.plus}`);
    expect(names).toContain(`'${HOSTILE.tab}`);
    expect(names).toContain(`'${HOSTILE.cr}`);
    expect(names).toContain(HOSTILE.quote);
    expect(names).toContain(HOSTILE.newline);
    expect(names).toContain('-42');
    // No cell starts with a formula trigger unless it is a plain number.
    for (const row of rows) {
      for (const cell of row)
        expect(/^[=+\-@\t\r]/.test(cell) && !/^-\d+(\.\d+)?$/.test(cell), cell).toBe(false);
    }
    // The unscored company comes last.
    expect(rows[12]?.[1]).toBe(HOSTILE.newline);
    expect(rows[12]?.[6]).toBe('');
    expect(file.content.endsWith('\r\n')).toBe(true);
    await expect(file.content).toMatchFileSnapshot('__snapshots__/export/companies.csv');
  });

  it('keeps only the asked tier and says so in the file name', async () => {
    const file = await exportOf(exportRuns(), { format: 'companies', tier: 'qualified' });
    expect(file.companies).toBe(7);
    expect(file.filename).toBe('apollo-companies_7d_tier-qualified_2026-11-24.csv');
    const tiers = records(file.content)
      .slice(1)
      .map((r) => r[7]);
    expect(new Set(tiers)).toEqual(new Set(['Tier 1', 'Tier 2', 'Tier 3']));
    const one = await exportOf(exportRuns(), { format: 'companies', tier: '1' });
    expect(
      records(one.content)
        .slice(1)
        .map((r) => r[7]),
    ).toEqual(['Tier 1', 'Tier 1']);
  });

  it('renders the header alone for no companies', () => {
    expect(renderCompaniesCsv([])).toBe(`${COMPANIES_CSV_HEADER.join(',')}\r\n`);
  });
});
