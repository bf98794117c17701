/**
 * Deterministic benchmark data: Apollo-shaped runs from a seeded PRNG, so every machine measures
 * the same bytes. Shapes follow docs/run-formats.md (canonical JSON and an Apollo CSV export).
 */
import type { ApiCall, Campaign, Company, Run, Tier } from '../src/domain/model.js';

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence everywhere. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** Roughly normal (sum of three uniforms), mean 0, sd about 1. */
    normal: (): number => (next() + next() + next() - 1.5) * 2,
  };
}
export type Random = ReturnType<typeof createRandom>;

/** Weighted so a few values dominate, as in real prospect lists. */
function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): (r: Random) => T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return (r) => {
    let x = r.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  };
}

const INDUSTRY = weighted([
  ['Information Technology & Services', 18],
  ['Computer Software', 16],
  ['Internet', 9],
  ['Financial Services', 7],
  ['Marketing & Advertising', 6],
  ['Hospital & Health Care', 5],
  ['Management Consulting', 5],
  ['Staffing & Recruiting', 4],
  ['Telecommunications', 3],
  ['Real Estate', 3],
  ['Education Management', 3],
  ['Retail', 3],
  ['Logistics & Supply Chain', 2],
  ['Insurance', 2],
  ['Construction', 2],
  ['Automotive', 2],
  ['Banking', 2],
  ['Biotechnology', 2],
  ['Accounting', 1],
  ['Legal Services', 1],
  ['E-Learning', 1],
  ['Renewables & Environment', 1],
  ['Food & Beverages', 1],
  ['Media Production', 1],
]);

const PLACE = weighted<readonly [string, string, string]>([
  [['United States', 'California', 'San Francisco'], 14],
  [['United States', 'New York', 'New York'], 12],
  [['United States', 'Texas', 'Austin'], 6],
  [['United States', 'Massachusetts', 'Boston'], 5],
  [['United Kingdom', 'England', 'London'], 9],
  [['Germany', 'Berlin', 'Berlin'], 6],
  [['Germany', 'Bavaria', 'Munich'], 3],
  [['France', 'Ile-de-France', 'Paris'], 5],
  [['Netherlands', 'North Holland', 'Amsterdam'], 3],
  [['Canada', 'Ontario', 'Toronto'], 4],
  [['Australia', 'New South Wales', 'Sydney'], 3],
  [['India', 'Karnataka', 'Bengaluru'], 4],
  [['Spain', 'Madrid', 'Madrid'], 2],
  [['Sweden', 'Stockholm County', 'Stockholm'], 2],
  [['Ireland', 'Dublin', 'Dublin'], 2],
  [['Singapore', 'Singapore', 'Singapore'], 2],
  [['Brazil', 'Sao Paulo', 'Sao Paulo'], 2],
  [['Israel', 'Tel Aviv', 'Tel Aviv'], 1],
  [['Japan', 'Tokyo', 'Tokyo'], 1],
  [['Poland', 'Masovian', 'Warsaw'], 1],
]);

const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay',
  'Stark',
  'Wayne',
  'Tyrell',
  'Soylent',
];
const SUFFIXES = ['Labs', 'Systems', 'Group', 'Analytics', 'Cloud', 'Partners', 'Digital', 'Works'];
const CAMPAIGN = weighted<Campaign>([
  ['Email', 5],
  ['LinkedIn', 3],
  ['Content', 2],
]);

export interface CompanyOptions {
  /** Decimal places of ICP scores (docs/run-formats.md's example has one: 88.5). */
  scoreDecimals: number;
}

function tierFor(score: number | undefined): Tier {
  if (score === undefined) return 'Unqualified';
  if (score >= 85) return 'Tier 1';
  if (score >= 75) return 'Tier 2';
  if (score >= 68) return 'Tier 3';
  return 'Unqualified';
}

export function generateCompany(r: Random, index: number, options: CompanyOptions): Company {
  const word = r.pick(WORDS);
  const suffix = r.pick(SUFFIXES);
  const slug = `${word}${index}`.toLowerCase();
  const name = r.chance(0.5) ? `${word} ${suffix} ${index}` : `${word} ${index}`;
  const company: Company = { name, tier: 'Unqualified' };
  if (r.chance(0.97)) company.domain = `${slug}.com`;
  if (r.chance(0.9)) company.industry = INDUSTRY(r);
  if (r.chance(0.93)) company.employees = Math.max(1, Math.round(Math.exp(3.5 + r.normal() * 1.6)));
  if (r.chance(0.95)) {
    const [country, state, city] = PLACE(r);
    company.country = country;
    if (r.chance(0.35)) company.state = state;
    if (r.chance(0.75)) company.city = city;
  }
  if (r.chance(0.96)) {
    const raw = Math.min(100, Math.max(0, 55 + r.normal() * 14));
    const f = 10 ** options.scoreDecimals;
    company.icp_score = Math.round(raw * f) / f;
  }
  company.tier = tierFor(company.icp_score);
  if (company.tier !== 'Unqualified' && r.chance(0.9)) company.campaign = CAMPAIGN(r);
  return company;
}

const ENDPOINT = weighted([
  ['/mixed_companies/search', 70],
  ['/organizations/enrich', 25],
  ['/organizations/bulk_enrich', 5],
]);

/** A call log spread over the run: about 2 calls a second, with some throttling and server errors. */
export function generateCalls(r: Random, count: number, startMs: number): ApiCall[] {
  const calls: ApiCall[] = [];
  let t = startMs;
  for (let i = 0; i < count; i++) {
    t += r.int(50, 900);
    const x = r.next();
    const status = x < 0.012 ? 429 : x < 0.018 ? 500 : x < 0.021 ? 422 : 200;
    const endpoint = ENDPOINT(r);
    calls.push({
      timestamp: new Date(t).toISOString(),
      endpoint,
      response_time: Math.round(Math.exp(-0.4 + r.normal() * 0.45) * 1000) / 1000,
      status_code: status,
      credits_used: status === 200 ? 1 : 0,
    });
  }
  return calls;
}

export interface RunOptions extends CompanyOptions {
  seed: number;
  runId: string;
  startedAt: string;
  companies: number;
  calls: number;
}

export function generateRun(options: RunOptions): Run {
  const r = createRandom(options.seed);
  const companies: Company[] = [];
  for (let i = 0; i < options.companies; i++) companies.push(generateCompany(r, i, options));
  const quality: number[] = [];
  for (let i = 0; i < 10; i++) quality.push(Math.round((0.8 + r.next() * 0.2) * 1000) / 1000);
  return {
    run_id: options.runId,
    started_at: options.startedAt,
    label: 'Benchmark search',
    companies,
    api_calls: generateCalls(r, options.calls, Date.parse(options.startedAt)),
    quality_scores: quality,
  };
}

/** The canonical JSON upload of a run, compact as a pipeline would send it. */
export function runToJson(run: Run): string {
  return JSON.stringify(run);
}

const CSV_HEADER = [
  'Company',
  'Company Name for Emails',
  'Website',
  'Industry',
  '# Employees',
  'Company Linkedin Url',
  'Company City',
  'Company State',
  'Company Country',
  'Keywords',
  'ICP Score',
  'Tier',
  'Campaign',
];

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** An Apollo "Export companies" CSV with the scoring columns the pipeline adds; extra columns are ignored. */
export function companiesToCsv(companies: readonly Company[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const c of companies) {
    const slug = c.domain?.replace(/\.com$/, '') ?? '';
    const row = [
      c.name,
      c.name,
      c.domain ? `https://www.${c.domain}` : '',
      c.industry ?? '',
      c.employees === undefined ? '' : c.employees.toLocaleString('en-US'),
      slug ? `http://www.linkedin.com/company/${slug}` : '',
      c.city ?? '',
      c.state ?? '',
      c.country ?? '',
      'b2b, saas, "sales intelligence"',
      c.icp_score === undefined ? '' : String(c.icp_score),
      c.tier,
      c.campaign ?? '',
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
