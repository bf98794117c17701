import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Company } from '../../../src/domain/model.js';
import {
  DEFAULT_PARSE_LIMITS,
  detectRunFormat,
  formatProblems,
  parseRunUpload,
  type RunUploadInput,
} from '../../../src/domain/parse-run/index.js';
import { AppError, type FieldProblem } from '../../../src/errors.js';

/** Runs `fn`, expects an AppError and returns it for assertions on code, message and problems. */
function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

const json = (body: unknown, extra: Partial<RunUploadInput> = {}): RunUploadInput => ({
  text: JSON.stringify(body),
  format: 'json',
  ...extra,
});

const run = (companies: unknown[], extra: Record<string, unknown> = {}) => ({
  run_id: 'run-1',
  started_at: '2026-11-02T09:00:00Z',
  companies,
  ...extra,
});

const problemsOf = (input: RunUploadInput): FieldProblem[] => {
  const error = failure(() => parseRunUpload(input));
  expect(error.code).toBe('upload_invalid');
  return error.problems;
};

describe('parseRunUpload: canonical JSON', () => {
  it('parses every section and normalises timestamps', () => {
    const body = {
      run_id: 'apollo-2026-11-02',
      started_at: '2026-11-02T10:30:00+01:00',
      label: 'Weekly EU run',
      companies: [
        {
          name: 'Acme Corp',
          domain: 'acme.com',
          industry: 'Software',
          employees: 250,
          country: 'France',
          state: 'Île-de-France',
          city: 'Paris',
          icp_score: 91,
          tier: 'Tier 1',
          campaign: 'Email',
        },
        { name: 'Beta Ltd', icp_score: 42, tier: 'Unqualified' },
      ],
      api_calls: [
        {
          timestamp: '2026-11-02T09:31:00.250Z',
          endpoint: '/mixed_companies/search',
          response_time: 0.42,
          status_code: 200,
          credits_used: 1,
        },
        { timestamp: '2026-11-02', endpoint: '/organizations/enrich', response_time: 1.5, status_code: 429 },
      ],
      api_metrics: {
        total_calls: 2,
        success_rate: 0.5,
        avg_response_time: 0.96,
        credits_used: 1,
        error_rate: 0.5,
      },
      quality_scores: [0.9, 0.75],
    };
    expect(parseRunUpload(json(body))).toStrictEqual({
      run_id: 'apollo-2026-11-02',
      started_at: '2026-11-02T09:30:00.000Z',
      label: 'Weekly EU run',
      companies: [
        {
          name: 'Acme Corp',
          domain: 'acme.com',
          industry: 'Software',
          employees: 250,
          country: 'France',
          state: 'Île-de-France',
          city: 'Paris',
          icp_score: 91,
          tier: 'Tier 1',
          campaign: 'Email',
        },
        { name: 'Beta Ltd', icp_score: 42, tier: 'Unqualified' },
      ],
      api_calls: [
        {
          timestamp: '2026-11-02T09:31:00.250Z',
          endpoint: '/mixed_companies/search',
          response_time: 0.42,
          status_code: 200,
          credits_used: 1,
        },
        {
          timestamp: '2026-11-02T00:00:00.000Z',
          endpoint: '/organizations/enrich',
          response_time: 1.5,
          status_code: 429,
          credits_used: 0,
        },
      ],
      api_metrics: {
        total_calls: 2,
        success_rate: 0.5,
        avg_response_time: 0.96,
        credits_used: 1,
        error_rate: 0.5,
      },
      quality_scores: [0.9, 0.75],
    });
  });

  it('defaults api_calls and quality_scores to [] and leaves out absent optional fields', () => {
    const parsed = parseRunUpload(
      json({ started_at: '2026-11-02T09:00:00Z', companies: [{ name: 'Solo' }] }),
    );
    expect(parsed.api_calls).toEqual([]);
    expect(parsed.quality_scores).toEqual([]);
    expect(parsed).not.toHaveProperty('api_metrics');
    expect(parsed).not.toHaveProperty('label');
    expect(parsed.companies).toStrictEqual([{ name: 'Solo', tier: 'Unqualified' }]);
  });

  it('keeps fractional scores, maps a missing tier to Unqualified and a missing score to undefined (not 0)', () => {
    const parsed = parseRunUpload(
      json(
        run([
          { name: 'A', icp_score: 89.5, tier: 'Tier 2' },
          { name: 'B' },
          { name: 'C', icp_score: '73.25' },
        ]),
      ),
    );
    const [a, b, c] = parsed.companies;
    expect(a?.icp_score).toBe(89.5);
    expect(b?.tier).toBe('Unqualified');
    expect(b?.icp_score).toBeUndefined();
    expect(b && 'icp_score' in b).toBe(false);
    expect(c?.icp_score).toBe(73.25);
  });

  it('treats blank optional strings and nulls as absent and ignores unknown keys', () => {
    const parsed = parseRunUpload(
      json(
        run(
          [
            {
              name: '  Gamma  ',
              domain: '',
              industry: '   ',
              employees: '',
              icp_score: '',
              tier: '',
              campaign: null,
              linkedin_url: 'x',
            },
          ],
          { quality_scores: null, api_calls: null, extra: { anything: true } },
        ),
      ),
    );
    expect(parsed.companies).toStrictEqual([{ name: 'Gamma', tier: 'Unqualified' }]);
    expect(parsed.api_calls).toEqual([]);
    expect(parsed.quality_scores).toEqual([]);
  });

  it('accepts date-only started_at as midnight UTC and an offset-less time as UTC', () => {
    expect(parseRunUpload(json(run([], { started_at: '2026-11-02' }))).started_at).toBe(
      '2026-11-02T00:00:00.000Z',
    );
    expect(parseRunUpload(json(run([], { started_at: '2026-11-02T07:05' }))).started_at).toBe(
      '2026-11-02T07:05:00.000Z',
    );
    expect(parseRunUpload(json(run([], { started_at: '2026-11-02 07:05:09.5-0330' }))).started_at).toBe(
      '2026-11-02T10:35:09.500Z',
    );
  });

  it('lets the input override run_id, started_at and label, and falls back to the body when the input is blank', () => {
    const body = run([], { label: 'from body' });
    const overridden = parseRunUpload(
      json(body, { run_id: 'manual-7', started_at: '2026-12-01', label: 'from query' }),
    );
    expect(overridden).toMatchObject({
      run_id: 'manual-7',
      started_at: '2026-12-01T00:00:00.000Z',
      label: 'from query',
    });
    const fallback = parseRunUpload(json(body, { started_at: '  ', run_id: '', label: '' }));
    expect(fallback).toMatchObject({
      run_id: 'run-1',
      started_at: '2026-11-02T09:00:00.000Z',
      label: 'from body',
    });
    const fromInputOnly = parseRunUpload(json({ companies: [] }, { started_at: '2026-11-03T08:00:00Z' }));
    expect(fromInputOnly.started_at).toBe('2026-11-03T08:00:00.000Z');
  });

  it('derives a deterministic run_id from the text when none is given', () => {
    const input = json({ started_at: '2026-11-02', companies: [{ name: 'Acme' }] });
    const expected = `run-${createHash('sha256').update(input.text).digest('hex').slice(0, 12)}`;
    expect(parseRunUpload(input).run_id).toBe(expected);
    expect(parseRunUpload(input).run_id).toBe(expected);
    expect(expected).toMatch(/^run-[0-9a-f]{12}$/);
    const other = json({ started_at: '2026-11-02', companies: [{ name: 'Acme Inc' }] });
    expect(parseRunUpload(other).run_id).not.toBe(expected);
  });

  it('accepts api_metrics whose rates do not add up when there were no calls', () => {
    const parsed = parseRunUpload(
      json(
        run([], {
          api_metrics: {
            total_calls: 0,
            success_rate: 0,
            avg_response_time: 0,
            credits_used: 0,
            error_rate: 0,
          },
        }),
      ),
    );
    expect(parsed.api_metrics).toEqual({
      total_calls: 0,
      success_rate: 0,
      avg_response_time: 0,
      credits_used: 0,
      error_rate: 0,
    });
  });
});

describe('parseRunUpload: Apollo field names in JSON', () => {
  it('maps organization_* fields, website_url, primary_domain and employee counts', () => {
    const parsed = parseRunUpload(
      json(
        run([
          {
            organization_name: 'Acme Corp',
            website_url: 'https://www.Acme.com/about?utm=1#top',
            estimated_num_employees: '1,200',
            organization_city: 'Austin',
            organization_state: 'Texas',
            organization_country: 'United States',
            industry: 'Information Technology',
            tier: 'tier1',
            campaign: 'linkedin',
            id: '5f1e',
          },
          { name: 'Beta', primary_domain: 'beta.io', num_employees: 35, tier: 2, campaign: 'EMAIL' },
          { name: 'Gamma', website_url: 'http://gamma.co.uk:8080', tier: 'UNQUALIFIED', campaign: 'Content' },
          { name: 'Delta', domain: 'WWW.Delta.dev/', website_url: 'https://ignored.example', tier: 'Tier 3' },
        ]),
      ),
    );
    expect(parsed.companies).toStrictEqual<Company[]>([
      {
        name: 'Acme Corp',
        domain: 'acme.com',
        employees: 1200,
        city: 'Austin',
        state: 'Texas',
        country: 'United States',
        industry: 'Information Technology',
        tier: 'Tier 1',
        campaign: 'LinkedIn',
      },
      { name: 'Beta', domain: 'beta.io', employees: 35, tier: 'Tier 2', campaign: 'Email' },
      { name: 'Gamma', domain: 'gamma.co.uk', tier: 'Unqualified', campaign: 'Content' },
      { name: 'Delta', domain: 'delta.dev', tier: 'Tier 3' },
    ]);
  });

  it.each([
    ['Tier 1', 'Tier 1'],
    ['tier 2', 'Tier 2'],
    ['TIER3', 'Tier 3'],
    ['1', 'Tier 1'],
    [3, 'Tier 3'],
    ['unqualified', 'Unqualified'],
  ])('normalises tier %j to %s', (tier, expected) => {
    expect(parseRunUpload(json(run([{ name: 'X', tier }]))).companies[0]?.tier).toBe(expected);
  });

  it('names the key as written in the upload when an aliased field is wrong', () => {
    expect(
      problemsOf(
        json(run([{ organization_name: 'A', organization_city: 12, estimated_num_employees: 'many' }])),
      ),
    ).toEqual([
      {
        where: 'companies[0]',
        field: 'estimated_num_employees',
        message: 'expected a whole number from 0 to 10,000,000, got "many"',
      },
      { where: 'companies[0]', field: 'organization_city', message: 'expected text, got 12' },
    ]);
  });
});

describe('parseRunUpload: JSON problems', () => {
  it('reports invalid JSON with a line and column (position in the engine message)', () => {
    const error = failure(() =>
      parseRunUpload({ format: 'json', text: '{\n  "started_at": "2026-11-02",\n}' }),
    );
    expect(error.code).toBe('upload_invalid');
    expect(error.problems).toEqual([
      {
        where: '',
        field: '',
        message: 'not valid JSON at line 3, column 1: expected double-quoted property name',
      },
    ]);
  });

  it('reports invalid JSON with a line and column (position found by scanning)', () => {
    const problems = problemsOf({ format: 'json', text: '{\n  "companies": [\n    {"name": Acme}\n  ]\n}' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^not valid JSON at line 3, column 14: /);
  });

  it('reports an empty or truncated body', () => {
    expect(problemsOf({ format: 'json', text: '' })[0]?.message).toMatch(
      /^not valid JSON at line 1, column 1: /,
    );
    expect(problemsOf({ format: 'json', text: '{"companies": [' })[0]?.message).toMatch(
      /^not valid JSON at line 1, column 16: /,
    );
  });

  it('rejects a body that is not an object', () => {
    expect(problemsOf({ format: 'json', text: '[1, 2]' })).toEqual([
      { where: '', field: '', message: 'expected a JSON object with started_at and companies, got a list' },
    ]);
  });

  it('collects every problem, naming the index and the field, and returns nothing partial', () => {
    const error = failure(() =>
      parseRunUpload(
        json({
          run_id: 'has spaces',
          started_at: 'last tuesday',
          companies: [
            { name: 'Fine', icp_score: 50 },
            'Acme',
            { name: 42, employees: 'abc', icp_score: 120, tier: 'Gold', campaign: 'Fax' },
            { name: '', icp_score: -1, employees: 10.5 },
            { name: 'Bad score', icp_score: 'abc', domain: 'not a domain' },
          ],
          api_calls: [
            { timestamp: 'yesterday', endpoint: '', response_time: -2, status_code: 700, credits_used: 'x' },
          ],
          api_metrics: {
            total_calls: 1.5,
            success_rate: 97,
            avg_response_time: 1,
            credits_used: 2,
            error_rate: 0.03,
          },
          quality_scores: [0.5, 'high'],
        }),
      ),
    );
    expect(error.code).toBe('upload_invalid');
    expect(error.message).toBe('The run has 21 problems.');
    expect(error.problems).toEqual([
      {
        where: '',
        field: 'run_id',
        message: 'expected 1 to 100 letters, digits or . _ : -, got "has spaces"',
      },
      {
        where: '',
        field: 'started_at',
        message: 'expected an ISO-8601 date such as 2026-11-02 or 2026-11-02T09:30:00Z, got "last tuesday"',
      },
      { where: 'companies[1]', field: '', message: 'expected an object, got "Acme"' },
      { where: 'companies[2]', field: 'name', message: 'expected text, got 42' },
      {
        where: 'companies[2]',
        field: 'employees',
        message: 'expected a whole number from 0 to 10,000,000, got "abc"',
      },
      { where: 'companies[2]', field: 'icp_score', message: 'expected a number from 0 to 100, got 120' },
      {
        where: 'companies[2]',
        field: 'tier',
        message: 'expected one of Tier 1, Tier 2, Tier 3, Unqualified, got "Gold"',
      },
      {
        where: 'companies[2]',
        field: 'campaign',
        message: 'expected one of Email, LinkedIn, Content, got "Fax"',
      },
      { where: 'companies[3]', field: 'name', message: 'required' },
      {
        where: 'companies[3]',
        field: 'employees',
        message: 'expected a whole number from 0 to 10,000,000, got 10.5',
      },
      { where: 'companies[3]', field: 'icp_score', message: 'expected a number from 0 to 100, got -1' },
      {
        where: 'companies[4]',
        field: 'domain',
        message: 'expected a domain or website such as example.com, got "not a domain"',
      },
      { where: 'companies[4]', field: 'icp_score', message: 'expected a number from 0 to 100, got "abc"' },
      {
        where: 'api_calls[0]',
        field: 'timestamp',
        message: 'expected an ISO-8601 date such as 2026-11-02 or 2026-11-02T09:30:00Z, got "yesterday"',
      },
      { where: 'api_calls[0]', field: 'endpoint', message: 'required' },
      {
        where: 'api_calls[0]',
        field: 'response_time',
        message: 'expected a number of seconds from 0 to 86,400, got -2',
      },
      {
        where: 'api_calls[0]',
        field: 'status_code',
        message: 'expected an HTTP status (a whole number from 100 to 599), got 700',
      },
      {
        where: 'api_calls[0]',
        field: 'credits_used',
        message: 'expected a number from 0 to 1,000,000, got "x"',
      },
      {
        where: 'api_metrics',
        field: 'total_calls',
        message: 'expected a whole number from 0 to 1,000,000,000, got 1.5',
      },
      {
        where: 'api_metrics',
        field: 'success_rate',
        message: 'expected a fraction from 0 to 1 (e.g. 0.97), got 97',
      },
      { where: 'quality_scores[1]', field: '', message: 'expected a number from 0 to 100, got "high"' },
    ]);
  });

  it('requires started_at and companies, and says so', () => {
    expect(problemsOf(json({ run_id: 'r1' }))).toEqual([
      { where: '', field: 'started_at', message: 'required' },
      { where: '', field: 'companies', message: 'required' },
    ]);
    expect(problemsOf(json({ started_at: '   ', companies: {} }))).toEqual([
      { where: '', field: 'started_at', message: 'required' },
      { where: '', field: 'companies', message: 'expected a list of companies, got an object' },
    ]);
  });

  it('rejects impossible dates', () => {
    expect(problemsOf(json(run([], { started_at: '2026-02-29' })))[0]?.field).toBe('started_at');
    expect(problemsOf(json(run([], { started_at: '2026-13-01T00:00:00Z' })))[0]?.field).toBe('started_at');
    expect(problemsOf(json(run([], { started_at: 1762074000 })))).toEqual([
      {
        where: '',
        field: 'started_at',
        message: 'expected an ISO-8601 date such as 2026-11-02 or 2026-11-02T09:30:00Z, got 1762074000',
      },
    ]);
    expect(parseRunUpload(json(run([], { started_at: '2028-02-29' }))).started_at).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('checks that success_rate and error_rate add up to 1 when there were calls', () => {
    expect(
      problemsOf(
        json(
          run([], {
            api_metrics: {
              total_calls: 10,
              success_rate: 0.9,
              avg_response_time: 1,
              credits_used: 3,
              error_rate: 0.2,
            },
          }),
        ),
      ),
    ).toEqual([
      {
        where: 'api_metrics',
        field: 'error_rate',
        message: 'expected success_rate + error_rate to add up to 1, got 0.9 + 0.2 = 1.1',
      },
    ]);
    const nearlyOne = {
      total_calls: 10,
      success_rate: 0.905,
      avg_response_time: 1,
      credits_used: 3,
      error_rate: 0.1,
    };
    expect(parseRunUpload(json(run([], { api_metrics: nearlyOne }))).api_metrics).toEqual(nearlyOne);
  });

  it('requires every api_metrics figure', () => {
    expect(problemsOf(json(run([], { api_metrics: { total_calls: 3 } })))).toEqual([
      { where: 'api_metrics', field: 'success_rate', message: 'required' },
      { where: 'api_metrics', field: 'avg_response_time', message: 'required' },
      { where: 'api_metrics', field: 'credits_used', message: 'required' },
      { where: 'api_metrics', field: 'error_rate', message: 'required' },
    ]);
  });
});

describe('parseRunUpload: Apollo CSV export', () => {
  const header =
    'company name for emails, COMPANY ,# employees,industry,WEBSITE,Company Linkedin Url,company city,Company State,company country,icp score,TIER,campaign,Keywords';

  it('matches headers by name, ignoring case, spaces and unknown columns', () => {
    const text = [
      `\uFEFF${header}`,
      'Acme,"Acme, Inc.","1,200",Software,https://www.acme.com/,http://linkedin.com/company/acme,Austin,Texas,United States,89.5,tier 1,email,"saas, b2b"',
      'Beta,Beta Ltd,35,,beta.io,,,,,,,,',
      '',
      ',Gamma,,Retail,,,,,Germany,42,3,LinkedIn,',
    ].join('\r\n');
    const parsed = parseRunUpload({ text, format: 'csv', started_at: '2026-11-02', label: 'Export' });
    expect(parsed).toStrictEqual({
      run_id: `run-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`,
      started_at: '2026-11-02T00:00:00.000Z',
      label: 'Export',
      companies: [
        {
          name: 'Acme, Inc.',
          domain: 'acme.com',
          industry: 'Software',
          employees: 1200,
          city: 'Austin',
          state: 'Texas',
          country: 'United States',
          icp_score: 89.5,
          tier: 'Tier 1',
          campaign: 'Email',
        },
        { name: 'Beta Ltd', domain: 'beta.io', employees: 35, tier: 'Unqualified' },
        {
          name: 'Gamma',
          industry: 'Retail',
          country: 'Germany',
          icp_score: 42,
          tier: 'Tier 3',
          campaign: 'LinkedIn',
        },
      ],
      api_calls: [],
      quality_scores: [],
    });
  });

  it('falls back to other name columns and skips rows with no values at all', () => {
    const text = 'Name,Domain,Employees\nAcme,acme.com,10\n,,\nBeta,,\n';
    const parsed = parseRunUpload({
      text,
      format: 'csv',
      started_at: '2026-11-02T09:00:00Z',
      run_id: 'csv-1',
    });
    expect(parsed.run_id).toBe('csv-1');
    expect(parsed.companies).toStrictEqual([
      { name: 'Acme', domain: 'acme.com', employees: 10, tier: 'Unqualified' },
      { name: 'Beta', tier: 'Unqualified' },
    ]);
  });

  it('names the row as a spreadsheet shows it and the column as written in the file', () => {
    const text = [
      'Company,# Employees,ICP Score,Tier',
      'Acme,10,90,Tier 1',
      '',
      '"Multi',
      'line",x,101,',
      'Gamma,,abc,Tier 9',
      ',5,,',
    ].join('\n');
    const error = failure(() => parseRunUpload({ text, format: 'csv', started_at: '2026-11-02' }));
    expect(error.code).toBe('upload_invalid');
    expect(error.message).toBe('The run has 5 problems.');
    expect(error.problems).toEqual([
      // The two-line record is one row (4), so Gamma is row 5 though it is on line 6.
      {
        where: 'row 4',
        field: '# Employees',
        message: 'expected a whole number from 0 to 10,000,000, got "x"',
      },
      { where: 'row 4', field: 'ICP Score', message: 'expected a number from 0 to 100, got 101' },
      { where: 'row 5', field: 'ICP Score', message: 'expected a number from 0 to 100, got "abc"' },
      {
        where: 'row 5',
        field: 'Tier',
        message: 'expected one of Tier 1, Tier 2, Tier 3, Unqualified, got "Tier 9"',
      },
      { where: 'row 6', field: 'Company', message: 'required' },
    ]);
  });

  it('treats blank numeric cells as absent, never 0', () => {
    const parsed = parseRunUpload({
      text: 'Company,# Employees,ICP Score\nAcme,  ,\n',
      format: 'csv',
      started_at: '2026-11-02',
    });
    expect(parsed.companies).toStrictEqual([{ name: 'Acme', tier: 'Unqualified' }]);
  });

  it('requires started_at from the input, and a blank one is an error', () => {
    const message = 'started_at is required for CSV uploads (query parameter or field)';
    expect(problemsOf({ text: 'Company\nAcme\n', format: 'csv' })).toEqual([
      { where: '', field: 'started_at', message },
    ]);
    expect(problemsOf({ text: 'Company\nAcme\n', format: 'csv', started_at: ' ' })).toEqual([
      { where: '', field: 'started_at', message },
    ]);
    expect(problemsOf({ text: 'Company,ICP Score\n,500\n', format: 'csv', started_at: 'soon' })).toEqual([
      {
        where: '',
        field: 'started_at',
        message: 'expected an ISO-8601 date such as 2026-11-02 or 2026-11-02T09:30:00Z, got "soon"',
      },
      { where: 'row 2', field: 'Company', message: 'required' },
      { where: 'row 2', field: 'ICP Score', message: 'expected a number from 0 to 100, got 500' },
    ]);
  });

  it('reports a missing company name column on the header', () => {
    expect(
      problemsOf({ text: 'Website,Industry\nacme.com,Software\n', format: 'csv', started_at: '2026-11-02' }),
    ).toEqual([
      {
        where: 'row 1',
        field: '',
        message:
          'no company name column: expected a column named Company, Company Name, Name or Company Name for Emails',
      },
    ]);
  });

  it('reports an unclosed quote on the row where the cell starts', () => {
    const text = 'Company,Website\nAcme,acme.com\n\n"Beta,beta.io\nGamma,gamma.io\n';
    expect(problemsOf({ text, format: 'csv', started_at: '2026-11-02' })).toEqual([
      {
        where: 'row 4',
        field: '',
        message: 'a quoted cell that starts on this row is never closed (a missing ")',
      },
    ]);
  });

  it('reports a row with the wrong number of cells', () => {
    const text = 'Company,Website\nAcme,acme.com\nBeta,beta.io,extra\n';
    expect(problemsOf({ text, format: 'csv', started_at: '2026-11-02' })).toEqual([
      {
        where: 'row 3',
        field: '',
        message:
          'expected 2 cells like the header, got 3 (cells are separated by comma (,), as on the header row)',
      },
    ]);
  });

  it('reports an empty file', () => {
    expect(problemsOf({ text: '\n\n', format: 'csv', started_at: '2026-11-02' })).toEqual([
      { where: '', field: '', message: 'the file is empty: expected a header row, then one row per company' },
    ]);
  });
});

describe('parseRunUpload: limits', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_PARSE_LIMITS).toEqual({ maxBytes: 20 * 1024 * 1024, maxCompanies: 100_000 });
  });

  it('rejects an oversize upload before parsing it', () => {
    const text = `{ not json ${'x'.repeat(3 * 1024 * 1024)}`;
    const error = failure(() =>
      parseRunUpload({ text, format: 'json' }, { maxBytes: 2 * 1024 * 1024, maxCompanies: 10 }),
    );
    expect(error.code).toBe('upload_too_large');
    expect(error.message).toBe('The upload is 3.1 MiB; the limit is 2 MiB.');
    const csv = failure(() =>
      parseRunUpload({ text: '"unclosed'.repeat(200), format: 'csv' }, { maxBytes: 1024, maxCompanies: 10 }),
    );
    expect(csv.code).toBe('upload_too_large');
    expect(csv.message).toBe('The upload is 1.8 KiB; the limit is 1 KiB.');
  });

  it('counts bytes, not characters', () => {
    const body = JSON.stringify(run([{ name: 'Société Générale' }]));
    const limits = { maxBytes: body.length, maxCompanies: 10 };
    expect(failure(() => parseRunUpload({ text: body, format: 'json' }, limits)).code).toBe(
      'upload_too_large',
    );
    const exact = { maxBytes: new TextEncoder().encode(body).length, maxCompanies: 10 };
    expect(parseRunUpload({ text: body, format: 'json' }, exact).companies).toHaveLength(1);
  });

  it('rejects too many companies in JSON, even if they are invalid', () => {
    const limits = { maxBytes: 1024 * 1024, maxCompanies: 2 };
    const error = failure(() => parseRunUpload(json(run([{}, 'x', { name: 3 }])), limits));
    expect(error.code).toBe('upload_too_large');
    expect(error.message).toBe('The upload has 3 companies; the limit is 2.');
    expect(parseRunUpload(json(run([{ name: 'a' }, { name: 'b' }])), limits).companies).toHaveLength(2);
  });

  it('rejects too many companies in CSV, counting data rows only', () => {
    const rows = Array.from({ length: 1001 }, (_, i) => `Company ${i},`).join('\n');
    const error = failure(() =>
      parseRunUpload(
        { text: `Company,ICP Score\n${rows}\n`, format: 'csv', started_at: '2026-11-02' },
        { maxBytes: 1024 * 1024, maxCompanies: 1000 },
      ),
    );
    expect(error.code).toBe('upload_too_large');
    expect(error.message).toBe('The upload has 1,001 companies; the limit is 1,000.');
  });
});

describe('formatProblems', () => {
  const problems: FieldProblem[] = Array.from({ length: 7 }, (_, i) => ({
    where: `row ${i + 2}`,
    field: 'ICP Score',
    message: `expected a number from 0 to 100, got ${101 + i}`,
  }));

  it('shows five problems by default, then counts the rest', () => {
    expect(formatProblems(problems)).toBe(
      [
        '• row 2, ICP Score: expected a number from 0 to 100, got 101',
        '• row 3, ICP Score: expected a number from 0 to 100, got 102',
        '• row 4, ICP Score: expected a number from 0 to 100, got 103',
        '• row 5, ICP Score: expected a number from 0 to 100, got 104',
        '• row 6, ICP Score: expected a number from 0 to 100, got 105',
        '…and 2 more problems',
      ].join('\n'),
    );
  });

  it('honours max and says "problem" for one', () => {
    expect(formatProblems(problems.slice(0, 3), 2).split('\n')).toEqual([
      '• row 2, ICP Score: expected a number from 0 to 100, got 101',
      '• row 3, ICP Score: expected a number from 0 to 100, got 102',
      '…and 1 more problem',
    ]);
    expect(formatProblems(problems.slice(0, 2))).not.toContain('more');
  });

  it('names JSON paths and top-level fields', () => {
    expect(
      formatProblems([
        { where: 'companies[3]', field: 'icp_score', message: 'expected a number from 0 to 100, got 120' },
        { where: '', field: 'started_at', message: 'required' },
        { where: '', field: '', message: 'not valid JSON at line 2, column 5: unexpected "x"' },
      ]),
    ).toBe(
      [
        '• companies[3].icp_score: expected a number from 0 to 100, got 120',
        '• started_at: required',
        '• not valid JSON at line 2, column 5: unexpected "x"',
      ].join('\n'),
    );
  });

  it('formats the problems of a real rejected upload', () => {
    const error = failure(() => parseRunUpload(json(run([{ name: 'A', icp_score: 120 }]))));
    expect(formatProblems(error.problems)).toBe(
      '• companies[0].icp_score: expected a number from 0 to 100, got 120',
    );
  });
});

describe('detectRunFormat', () => {
  it.each([
    [{ text: '{}', contentType: 'text/csv; charset=utf-8' }, 'csv'],
    [{ text: '{}', filename: 'Export.CSV' }, 'csv'],
    [{ text: 'Company\nAcme', contentType: 'application/json' }, 'json'],
    [{ text: 'Company\nAcme', filename: 'run.json' }, 'json'],
    [{ text: '  \n {"companies": []}' }, 'json'],
    [{ text: '\uFEFF{"companies": []}', filename: 'upload.txt' }, 'json'],
    [{ text: 'Company,Website\nAcme,acme.com' }, 'csv'],
    [{ text: '' }, 'csv'],
  ] as const)('%j -> %s', (hints, expected) => {
    expect(detectRunFormat(hints)).toBe(expected);
  });
});
