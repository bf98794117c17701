/**
 * Every Apollo-shaped fixture read through the one upload path, checked against the figures counted by
 * hand in test/fixtures/apollo/EXPECTED.md (companies, tiers, scores, industries, countries), or
 * against the exact refusal.
 */
import { describe, expect, it } from 'vitest';
import { aggregateRun } from '../../../src/domain/aggregate.js';
import type { Company } from '../../../src/domain/model.js';
import { readUpload, type UploadInput } from '../../../src/domain/parse-run/index.js';
import { type AppError, isAppError } from '../../../src/errors.js';
import { fixtureBytes } from './fixture.js';

const STARTED = '2026-11-23T09:00:00Z';

function read(name: string, extra: Partial<UploadInput> = {}) {
  return readUpload({ bytes: fixtureBytes(name), filename: name, started_at: STARTED, ...extra });
}

function refusal(name: string, extra: Partial<UploadInput> = {}): AppError {
  try {
    read(name, extra);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error(`${name} was read`);
}

function counts(values: ReadonlyArray<string | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v ?? 'Unknown'] = (out[v ?? 'Unknown'] ?? 0) + 1;
  return out;
}

function figures(companies: readonly Company[]) {
  const scores = companies
    .flatMap((c) => (c.icp_score === undefined ? [] : [c.icp_score]))
    .sort((a, b) => a - b);
  const mid = Math.floor(scores.length / 2);
  const median =
    scores.length === 0
      ? null
      : scores.length % 2
        ? scores[mid]
        : ((scores[mid - 1] as number) + (scores[mid] as number)) / 2;
  return {
    companies: companies.length,
    tiers: counts(companies.map((c) => c.tier)),
    scores,
    median,
    // Groups as the dashboard builds them: one per industry and country whatever the spelling.
    industries: groupCounts(aggregate(companies).industries),
    countries: groupCounts(aggregate(companies).countries),
  };
}

function aggregate(companies: readonly Company[]) {
  return aggregateRun({
    run_id: 'r',
    started_at: STARTED,
    companies: [...companies],
    api_calls: [],
    quality_scores: [],
  });
}

function groupCounts(groups: Record<string, { count: number }>): Record<string, number> {
  return Object.fromEntries(Object.entries(groups).map(([name, g]) => [name, g.count]));
}

const SAME_EIGHT = {
  companies: 8,
  tiers: { 'Tier 1': 3, 'Tier 2': 2, 'Tier 3': 1, Unqualified: 2 },
  scores: [35, 55, 64, 78, 88.5, 91, 95],
  median: 78,
  industries: {
    banking: 2,
    machinery: 2,
    'information technology & services': 2,
    'food & beverages': 1,
    'mining & metals': 1,
  },
  countries: { 'United States': 3, France: 1, Germany: 1, Norway: 1, 'United Kingdom': 1, Australia: 1 },
};

describe('Apollo Companies exports', () => {
  it('legacy export (Company header, null cells, multi-line description)', () => {
    const { run, warnings } = read('companies-export-legacy.csv');
    expect(figures(run.companies)).toEqual({
      companies: 12,
      tiers: { 'Tier 1': 3, 'Tier 2': 3, 'Tier 3': 3, Unqualified: 3 },
      scores: [35, 47, 55, 61, 64, 72, 78, 88.5, 91, 95],
      median: 68,
      industries: {
        'information technology & services': 3,
        banking: 2,
        machinery: 2,
        'logistics & supply chain': 2,
        'food & beverages': 1,
        'mining & metals': 1,
        'hospital & health care': 1,
      },
      countries: {
        'United States': 4,
        France: 1,
        Germany: 1,
        Norway: 1,
        'United Kingdom': 1,
        Australia: 1,
        Canada: 1,
        Denmark: 1,
        Switzerland: 1,
      },
    });
    expect(run.companies.map((c) => c.name)).toContain('Acme, Inc.');
    expect(warnings).toEqual([]);
  });

  it('modern export (BOM, CRLF, Company Name header, intent-score decoy)', () => {
    const { run } = read('companies-export-modern.csv');
    expect(figures(run.companies)).toEqual({
      companies: 10,
      tiers: { 'Tier 1': 3, 'Tier 2': 3, 'Tier 3': 1, Unqualified: 3 },
      scores: [30, 49, 58, 66, 67, 71, 82, 90, 93],
      median: 67,
      industries: {
        machinery: 3,
        banking: 2,
        'information technology & services': 2,
        farming: 1,
        'hospital & health care': 1,
        'food & beverages': 1,
      },
      countries: {
        Germany: 2,
        'United States': 2,
        France: 1,
        Estonia: 1,
        Argentina: 1,
        Japan: 1,
        Canada: 1,
        'United Kingdom': 1,
      },
    });
    const names = run.companies.map((c) => c.name);
    expect(names).toContain('Société Générale');
    expect(names).toContain('Nordwind Energie, GmbH & Co. KG');
    expect(run.companies.find((c) => c.name.startsWith('Granite'))?.icp_score).toBe(49);
  });

  it('Excel in a German locale (semicolons, decimal comma)', () => {
    const { run, warnings } = read('companies-excel-eu.csv');
    expect(figures(run.companies)).toEqual({
      companies: 9,
      tiers: { 'Tier 1': 2, 'Tier 2': 3, 'Tier 3': 1, Unqualified: 3 },
      scores: [38, 42.5, 55.5, 63.75, 70, 79.25, 88.5, 91],
      median: 66.875,
      industries: {
        machinery: 3,
        banking: 2,
        'information technology & services': 1,
        'food & beverages': 1,
        'logistics & supply chain': 1,
        'mining & metals': 1,
      },
      countries: { France: 3, Germany: 2, 'United States': 2, Norway: 1, Australia: 1 },
    });
    expect(run.companies.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Acme, Inc.', 'Dupont; Fils SARL']),
    );
    expect(warnings.map((w) => w.code)).toEqual(['decimal_comma']);
  });

  it('Excel on Windows (Windows-1252), no U+FFFD stored', () => {
    const { run, warnings } = read('companies-excel-win1252.csv');
    expect(figures(run.companies)).toEqual({
      companies: 8,
      tiers: { 'Tier 1': 2, 'Tier 2': 2, 'Tier 3': 2, Unqualified: 2 },
      scores: [44, 49, 58, 67, 78, 88, 91],
      median: 67,
      industries: {
        machinery: 3,
        'information technology & services': 2,
        banking: 1,
        'food & beverages': 1,
        'logistics & supply chain': 1,
      },
      countries: {
        Germany: 2,
        France: 1,
        Denmark: 1,
        Uruguay: 1,
        Sweden: 1,
        'United States': 1,
        Switzerland: 1,
      },
    });
    expect(run.companies.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'Société Générale',
        'Müller GmbH',
        'O\u2019Brien & Søn ApS',
        'Peñarol Logística S.A.',
        'Göteborg Marin AB',
        'Straße & Söhne GmbH',
      ]),
    );
    expect(JSON.stringify(run)).not.toContain('\uFFFD');
    expect(warnings.map((w) => w.code)).toEqual(['encoding_windows_1252']);
  });

  it("Excel's Unicode Text (UTF-16 LE, tabs)", () => {
    const { run } = read('companies-unicode-text.txt');
    expect(figures(run.companies)).toEqual({
      companies: 8,
      tiers: { 'Tier 1': 3, 'Tier 2': 2, 'Tier 3': 1, Unqualified: 2 },
      scores: [44, 52, 71, 78, 88.5, 91, 95],
      median: 78,
      industries: {
        machinery: 2,
        'information technology & services': 2,
        banking: 1,
        textiles: 1,
        maritime: 1,
        'food & beverages': 1,
      },
      countries: {
        'United States': 2,
        France: 1,
        Japan: 1,
        Poland: 1,
        Germany: 1,
        Greece: 1,
        'United Kingdom': 1,
      },
    });
  });

  it('pipe-separated export (UK as an alias)', () => {
    const { run } = read('companies-pipe.csv');
    expect(figures(run.companies)).toEqual({
      companies: 8,
      tiers: { 'Tier 1': 2, 'Tier 2': 2, 'Tier 3': 2, Unqualified: 2 },
      scores: [35, 55, 61, 66, 78, 88.5, 91],
      median: 66,
      industries: {
        banking: 3,
        machinery: 2,
        'information technology & services': 1,
        'food & beverages': 1,
        'mining & metals': 1,
      },
      countries: { 'United States': 3, France: 2, Germany: 1, 'United Kingdom': 1, Australia: 1 },
    });
    expect(run.companies.map((c) => c.name)).toContain('Pipe | Fitting Co.');
  });

  it('an export without scoring columns is read, and says nothing was scored', () => {
    const { run, warnings } = read('companies-no-scores.csv');
    expect(figures(run.companies)).toMatchObject({
      companies: 9,
      tiers: { Unqualified: 9 },
      scores: [],
      industries: {
        'information technology & services': 3,
        banking: 2,
        machinery: 2,
        'food & beverages': 1,
        'hospital & health care': 1,
      },
      countries: {
        'United States': 3,
        France: 1,
        Germany: 1,
        Norway: 1,
        'United Kingdom': 1,
        Canada: 1,
        Switzerland: 1,
      },
    });
    expect(warnings).toEqual([
      {
        code: 'no_scores',
        message:
          'No company has an ICP score or a tier: the file has no ICP score or tier column (ICP Score, ICP Fit Score, Fit Score or Score; Tier, ICP Tier or Fit Tier). All 9 count as unscored and Unqualified, so the qualification rate says nothing about the search.',
      },
    ]);
  });

  it('aliased scoring headers, a duplicate Tier column, and stated fractions all give the same figures', () => {
    expect(figures(read('companies-aliased-scores.csv').run.companies)).toEqual(SAME_EIGHT);
    const duplicate = read('companies-duplicate-tier.csv');
    expect(figures(duplicate.run.companies)).toEqual(SAME_EIGHT);
    expect(duplicate.warnings.map((w) => w.message)).toEqual([
      'Columns "Tier" (11th column, K) and "Tier" (13th column, M) both hold the tier; column K, the one with values (7 of 8 rows), was used.',
    ]);
    const scaled = read('companies-fraction-scores.csv', { score_scale: '0-1' });
    expect(figures(scaled.run.companies)).toEqual(SAME_EIGHT);
    expect(scaled.warnings.map((w) => w.code)).toEqual(['scores_scaled']);
  });

  it('refuses fractions without a stated scale', () => {
    const error = refusal('companies-fraction-scores.csv');
    expect(error.problems).toEqual([
      {
        where: '',
        field: 'ICP Score',
        message:
          'ICP scores are 0-100, but all 7 scores here are between 0.35 and 0.95: they look like 0-1 fractions. Multiply them by 100, or state the scale (score_scale "0-1": a JSON field, the form\'s option, the score_scale query parameter or --score-scale 0-1).',
      },
    ]);
  });

  it('refuses bad rows at the rows a spreadsheet shows, quoting cells as written', () => {
    const error = refusal('companies-bad-rows.csv');
    expect(error.code).toBe('upload_invalid');
    expect(error.problems).toEqual([
      {
        where: 'row 9',
        field: '# Employees',
        message: 'expected a whole number from 0 to 10,000,000, got 1.200',
      },
      { where: 'row 12', field: 'ICP Score', message: 'expected a number from 0 to 100, got "abc"' },
    ]);
  });
});

describe('Apollo People export', () => {
  it('counts each company once: 15 contact rows, 8 companies', () => {
    const { run, warnings, contactRows } = read('people-export.csv');
    expect(contactRows).toBe(15);
    expect(run.companies.map((c) => c.name)).toEqual([
      'Société Générale',
      'Juniper Software',
      'Acme, Inc.',
      'Müller GmbH',
      'Fjord Robotics',
      'Granite Bank',
      'Harbor Foods',
      'Zürich Analytics',
    ]);
    expect(figures(run.companies)).toEqual({
      companies: 8,
      tiers: { 'Tier 1': 3, 'Tier 2': 2, 'Tier 3': 1, Unqualified: 2 },
      scores: [35, 55, 64, 78, 88, 91, 95],
      median: 78,
      industries: { 'information technology & services': 3, banking: 2, machinery: 2, 'food & beverages': 1 },
      countries: {
        'United States': 3,
        France: 1,
        Germany: 1,
        Norway: 1,
        'United Kingdom': 1,
        Switzerland: 1,
      },
    });
    expect(warnings.map((w) => w.code)).toEqual(['people_export', 'people_rows_disagree']);
    expect(warnings[1]?.message).toContain(
      'Acme, Inc. (row 8: 88, Tier 1; row 9: 86, Tier 1) counts as 88, Tier 1',
    );
  });
});

describe("Apollo's JSON answers", () => {
  it('a search page: organizations and accounts, no firmographics', () => {
    const { run, warnings } = read('apollo-search-page.json');
    expect(figures(run.companies)).toEqual({
      companies: 9,
      tiers: { 'Tier 1': 2, 'Tier 2': 1, 'Tier 3': 2, Unqualified: 4 },
      scores: [47, 55, 61, 78, 88.5, 91],
      median: 69.5,
      industries: { Unknown: 9 },
      countries: { Unknown: 6, 'United States': 2, Canada: 1 },
    });
    expect(run.companies.find((c) => c.name === 'Acme, Inc.')?.domain).toBe('acme.example');
    expect(run.companies.some((c) => c.employees !== undefined)).toBe(false);
    expect(warnings.map((w) => w.code)).toEqual(['apollo_shape', 'missing_figures', 'missing_figures']);
  });

  it('refuses a search page without a run date, saying where to give one', () => {
    const error = refusal('apollo-search-page.json', { started_at: undefined });
    expect(error.problems).toEqual([
      {
        where: '',
        field: 'started_at',
        message:
          "required: Apollo's answers carry no run date; give started_at (the ingest API's query parameter, the form's run date, or --started-at)",
      },
    ]);
  });

  it('an enrich answer', () => {
    const { run } = read('apollo-enrich.json');
    expect(run.companies).toEqual([
      {
        name: 'Société Générale',
        domain: 'societegenerale.com',
        industry: 'banking',
        employees: 117000,
        country: 'france',
        state: 'Île-de-France',
        city: 'Paris',
        icp_score: 91,
        tier: 'Tier 1',
      },
    ]);
    expect(figures(run.companies).countries).toEqual({ France: 1 });
  });

  it('a bulk enrich answer', () => {
    const { run } = read('apollo-bulk-enrich.json');
    expect(figures(run.companies)).toEqual({
      companies: 7,
      tiers: { 'Tier 1': 2, 'Tier 2': 2, 'Tier 3': 1, Unqualified: 2 },
      scores: [40, 55, 72, 78, 88.5, 91],
      median: 75,
      industries: {
        banking: 2,
        machinery: 2,
        'information technology & services': 1,
        'logistics & supply chain': 1,
        'hospital & health care': 1,
      },
      countries: { 'United States': 3, France: 1, Germany: 1, Norway: 1, Canada: 1 },
    });
  });

  it('a people match answer: 9 people at 6 companies, nothing scored', () => {
    const { run, contactRows, warnings } = read('apollo-bulk-match.json');
    expect(contactRows).toBe(9);
    expect(figures(run.companies)).toEqual({
      companies: 6,
      tiers: { Unqualified: 6 },
      scores: [],
      median: null,
      industries: {
        banking: 2,
        machinery: 2,
        'information technology & services': 1,
        'hospital & health care': 1,
      },
      countries: { 'United States': 2, France: 1, Germany: 1, Norway: 1, Canada: 1 },
    });
    expect(warnings.map((w) => w.code)).toEqual(['apollo_shape', 'no_scores']);
  });

  it('saved accounts', () => {
    const { run } = read('apollo-saved-accounts.json');
    expect(figures(run.companies)).toEqual({
      companies: 8,
      tiers: { 'Tier 1': 2, 'Tier 2': 1, 'Tier 3': 1, Unqualified: 4 },
      scores: [35, 47, 55, 78, 88.5, 91],
      median: 66.5,
      industries: { Unknown: 8 },
      countries: {
        'United States': 3,
        France: 1,
        Germany: 1,
        'United Kingdom': 1,
        Canada: 1,
        Denmark: 1,
      },
    });
  });

  it('a bare array of organizations', () => {
    const { run } = read('apollo-org-array.json');
    expect(figures(run.companies)).toEqual({
      companies: 10,
      tiers: { 'Tier 1': 3, 'Tier 2': 2, 'Tier 3': 2, Unqualified: 3 },
      scores: [35, 55, 61, 64, 78, 88.5, 91, 95],
      median: 71,
      industries: {
        'information technology & services': 3,
        banking: 2,
        machinery: 2,
        'food & beverages': 1,
        'logistics & supply chain': 1,
        'mining & metals': 1,
      },
      countries: {
        'United States': 4,
        France: 1,
        Germany: 1,
        Norway: 1,
        'United Kingdom': 1,
        Australia: 1,
        Switzerland: 1,
      },
    });
  });
});

describe('the declared charset', () => {
  it('is honoured, and a wrong UTF-8 declaration is refused', () => {
    const { run } = read('companies-excel-win1252.csv', { contentType: 'text/csv; charset=windows-1252' });
    expect(run.companies[0]?.name).toBe('Société Générale');
    expect(
      refusal('companies-excel-win1252.csv', { contentType: 'text/csv; charset=utf-8' }).message,
    ).toMatch(/^Line 2 cannot be read as the declared utf-8/);
  });
});
