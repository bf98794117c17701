/**
 * The fast path of `parseRunUpload` (valid uploads converted directly) against the schema path
 * (`fastPath: false`): for every input both must give the same run, field order included, or the
 * same problems.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { companiesToCsv, createRandom, generateRun, type Random, runToJson } from '../../../bench/data.js';
import type { Run } from '../../../src/domain/model.js';
import {
  DEFAULT_PARSE_LIMITS,
  parseRunUpload,
  type RunUploadInput,
} from '../../../src/domain/parse-run/index.js';
import { AppError } from '../../../src/errors.js';

type Outcome = { run: Run } | { code: string; message: string; problems: unknown };

function outcome(input: RunUploadInput, fastPath: boolean): Outcome {
  try {
    return { run: parseRunUpload(input, DEFAULT_PARSE_LIMITS, { fastPath }) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, message: error.message, problems: error.problems };
  }
}

/** Both paths agree; returns the fast path's run (or undefined when the input is refused). */
function agree(input: RunUploadInput): Run | undefined {
  const fast = outcome(input, true);
  const schema = outcome(input, false);
  expect(fast).toEqual(schema);
  // Same keys in the same order, as stored.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(schema));
  return 'run' in fast ? fast.run : undefined;
}

const json = (body: unknown, extra: Partial<RunUploadInput> = {}): RunUploadInput => ({
  text: JSON.stringify(body),
  format: 'json',
  ...extra,
});

/** A company in one of the many shapes pipelines send: aliases, padding, strings for numbers, blanks. */
function variedCompany(r: Random, i: number): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  const pick = (...options: unknown[]): unknown => r.pick(options);
  if (r.chance(0.3)) {
    c.organization_name = pick(`Org ${i}`, `  Org ${i}  `);
    if (r.chance(0.5)) c.name = pick('', null, '   ');
  } else c.name = pick(`Company ${i}`, ` Company ${i}\t`);
  const site = pick(
    `c${i}.com`,
    `https://www.C${i}.com/about?x=1`,
    `WWW.c${i}.io.`,
    `http://user@c${i}.de:8080/`,
    `www.c${i}.co.uk`,
    '',
    null,
  );
  c[pick('domain', 'primary_domain', 'website_url') as string] = site;
  if (r.chance(0.2)) c.domain = pick('', null);
  c[pick('employees', 'estimated_num_employees', 'num_employees') as string] = pick(
    12,
    0,
    '1,200',
    ' 15 ',
    '',
    null,
    20000,
  );
  c[pick('country', 'organization_country') as string] = pick('Germany', ' France ', '', null);
  c[pick('state', 'organization_state') as string] = pick('Berlin', 'Texas', '');
  if (r.chance(0.8)) c[pick('city', 'organization_city') as string] = pick('Berlin', ' Austin', null);
  c.industry = pick('Software', ' Retail ', '', null, 'Computer Software');
  c.icp_score = pick(55.5, 0, 100, '72', ' 88.5 ', '', null, 89.95, '1e1');
  if (r.chance(0.9))
    c.tier = pick('Tier 1', 'tier 2', 'TIER_3', 3, '1', 'unqualified', 'Unqualified', '', null);
  if (r.chance(0.7)) c.campaign = pick('Email', 'linkedin', 'Content', 'LinkedIn', '', null, ' email ');
  if (r.chance(0.2)) c.extra_field = { ignored: true };
  return c;
}

function variedCall(r: Random): Record<string, unknown> {
  const call: Record<string, unknown> = {
    timestamp: r.pick([
      '2026-11-23T09:00:01.250Z',
      '2026-11-23T09:00:01Z',
      '2026-11-23 09:00:01+02:00',
      '2026-11-23',
      ' 2026-11-23T09:00:01.000Z ',
      '2026-11-23T09:00:01.5-0530',
      '2024-02-29T23:59:59.999Z',
    ]),
    endpoint: r.pick(['/mixed_companies/search', ' enrich ']),
    response_time: r.pick([0.5, '1.25', 0, 3]),
    status_code: r.pick([200, '429', 500, 201]),
  };
  const credits = r.pick([1, '2', '', null, undefined, 0]);
  if (credits !== undefined) call.credits_used = credits;
  return call;
}

describe('the fast path gives the schema path’s run', () => {
  it('for generated runs, as JSON and as a CSV export', () => {
    const run = generateRun({
      seed: 3,
      runId: 'run-gen',
      startedAt: '2026-11-23T09:00:00.000Z',
      companies: 2000,
      calls: 500,
      scoreDecimals: 2,
    });
    const parsed = agree({ text: runToJson(run), format: 'json' });
    expect(parsed).toEqual(run);
    const fromCsv = agree({
      text: companiesToCsv(run.companies),
      format: 'csv',
      started_at: '2026-11-23T09:00:00Z',
      run_id: 'run-gen',
    });
    expect(fromCsv?.companies).toEqual(run.companies);
  });

  it('for companies and calls in every accepted shape (aliases, padding, strings, blanks)', () => {
    const r = createRandom(11);
    for (let k = 0; k < 40; k++) {
      const body: Record<string, unknown> = {
        started_at: r.pick(['2026-11-23T09:00:00Z', '2026-11-23', '2026-11-23T10:00:00+01:00']),
        companies: Array.from({ length: 50 }, (_, i) => variedCompany(r, i)),
      };
      if (r.chance(0.7)) body.run_id = r.pick(['run-a', ' run-b ', '', null]);
      if (r.chance(0.5)) body.label = r.pick(['  EMEA  ', '', null]);
      if (r.chance(0.6)) body.api_calls = Array.from({ length: 20 }, () => variedCall(r));
      else if (r.chance(0.5)) body.api_calls = null;
      if (r.chance(0.3)) {
        body.api_metrics = {
          total_calls: 10,
          success_rate: 0.9,
          avg_response_time: '1.5',
          credits_used: 4,
          error_rate: 0.1,
        };
      }
      if (r.chance(0.5)) body.quality_scores = r.pick([[0.9, '0.8'], [], null]);
      const parsed = agree(json(body, r.chance(0.3) ? { run_id: 'override', label: 'From the form' } : {}));
      expect(parsed?.companies).toHaveLength(50);
    }
  });

  it('for the fixtures', () => {
    for (const name of ['run-canonical.json', 'run-apollo-aliases.json']) {
      const text = readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
      expect(agree({ text, format: 'json' })).toBeDefined();
    }
    const csv = readFileSync(new URL('../../fixtures/run-apollo-export.csv', import.meta.url), 'utf8');
    expect(agree({ text: csv, format: 'csv', started_at: '2026-11-23T09:00:00Z' })).toBeDefined();
  });

  it('derives the same run id from the content when none is given', () => {
    const parsed = agree(json({ started_at: '2026-11-23', companies: [{ name: 'A' }] }));
    expect(parsed?.run_id).toMatch(/^run-[0-9a-f]{12}$/);
  });
});

describe('invalid uploads name the same problems on both paths', () => {
  it.each([
    ['a bad score', { started_at: '2026-11-23', companies: [{ name: 'A', icp_score: 101 }] }],
    ['a missing name', { started_at: '2026-11-23', companies: [{ organization_name: '' }] }],
    ['a bad tier', { started_at: '2026-11-23', companies: [{ name: 'A', tier: 'Tier 4' }] }],
    ['a company that is not an object', { started_at: '2026-11-23', companies: ['A'] }],
    ['companies that are not a list', { started_at: '2026-11-23', companies: { name: 'A' } }],
    ['a bad call', { started_at: '2026-11-23', companies: [], api_calls: [{ timestamp: 'soon' }] }],
    ['calls that are not a list', { started_at: '2026-11-23', companies: [], api_calls: 'none' }],
    [
      'metrics that do not add up',
      {
        started_at: '2026-11-23',
        companies: [],
        api_metrics: {
          total_calls: 1,
          success_rate: 0.5,
          avg_response_time: 1,
          credits_used: 1,
          error_rate: 0.1,
        },
      },
    ],
    ['a bad quality score', { started_at: '2026-11-23', companies: [], quality_scores: ['high'] }],
    ['a bad run id', { run_id: 'a b', started_at: '2026-11-23', companies: [] }],
    ['no start', { companies: [{ name: 'A' }] }],
  ])('%s', (_what, body) => {
    expect(agree(json(body))).toBeUndefined();
  });

  it('in a CSV', () => {
    const csv = 'Company,ICP Score,Tier\nA,50,Tier 1\nB,abc,Tier 2\n';
    expect(agree({ text: csv, format: 'csv', started_at: '2026-11-23' })).toBeUndefined();
    expect(agree({ text: csv, format: 'csv' })).toBeUndefined();
  });
});

describe('canonical timestamps (the shortcut) are still checked as dates', () => {
  const at = (timestamp: string) =>
    json({
      started_at: '2026-11-23',
      companies: [],
      api_calls: [{ timestamp, endpoint: 'e', response_time: 1, status_code: 200 }],
    });

  it.each([
    ['2024-02-29T12:00:00.000Z', true],
    ['2026-02-29T12:00:00.000Z', false],
    ['2026-04-31T12:00:00.000Z', false],
    ['2026-13-01T12:00:00.000Z', false],
    ['2026-11-00T12:00:00.000Z', false],
    ['2026-11-23T24:00:00.000Z', false],
    ['2026-11-23T23:60:00.000Z', false],
    ['2026-11-23T23:59:60.000Z', false],
    ['2000-02-29T00:00:00.000Z', true],
    ['1900-02-29T00:00:00.000Z', false],
  ])('%s accepted: %s', (timestamp, valid) => {
    const parsed = agree(at(timestamp));
    expect(parsed?.api_calls[0]?.timestamp).toBe(valid ? timestamp : undefined);
  });

  it('keeps every canonical instant as it is', () => {
    const r = createRandom(5);
    for (let i = 0; i < 500; i++) {
      const iso = new Date(Date.UTC(1970, 0, 1) + Math.floor(r.next() * 4.1e12)).toISOString();
      expect(agree(at(iso))?.api_calls[0]?.timestamp).toBe(iso);
    }
  });
});
