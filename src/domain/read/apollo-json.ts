/**
 * Apollo's own JSON answers as a run body. What users save from Apollo's API is not our run format:
 *
 * | shape | recognised by | companies from |
 * |---|---|---|
 * | a run | `companies[]` | as they are |
 * | `/mixed_companies/search` page | `organizations[]` and/or `accounts[]` (with `pagination`) | both lists |
 * | `/accounts/search` (saved accounts) | `accounts[]` only | the accounts |
 * | `/organizations/bulk_enrich` | `organizations[]` | the organizations |
 * | `/organizations/enrich` | `organization{}` | that one |
 * | `/people/bulk_match` | `matches[]` of people with `organization{}` | each organization once (by id, then domain, then name) |
 * | a bare array | `[…]` | each item |
 *
 * Keys are read case-insensitively through aliases (Apollo's `primary_domain`, `estimated_num_employees`,
 * `organization_country` …, and the scoring keys `icp_score`/`score`/`fit_score`, `tier`/`icp_tier`/`fit_tier`).
 * Run fields (`run_id`, `started_at`, `label`, `score_scale`, the API call log) are kept from the top level.
 * Where a shape cannot carry a figure (a search page has no industry, size or place), a warning says so.
 */
import { nameKey } from './people.js';
import type { ReadWarning } from './warnings.js';

export type ApolloShape =
  | 'run'
  | 'search_page'
  | 'saved_accounts'
  | 'bulk_enrich'
  | 'enrich'
  | 'people_match'
  | 'organization_list';

const SHAPE_NAMES: Record<ApolloShape, string> = {
  run: 'a run',
  search_page: 'an Apollo search page (/mixed_companies/search)',
  saved_accounts: 'Apollo saved accounts (/accounts/search)',
  bulk_enrich: 'an Apollo bulk enrichment answer (/organizations/bulk_enrich)',
  enrich: 'an Apollo enrichment answer (/organizations/enrich)',
  people_match: 'an Apollo people match answer (/people/bulk_match)',
  organization_list: 'a list of organizations',
};

/** The canonical run's company keys, each with the keys read for it in order (lower case; the first non-blank wins). */
export const COMPANY_JSON_KEYS = [
  ['name', ['name', 'organization_name']],
  ['domain', ['domain', 'primary_domain', 'website_url']],
  ['industry', ['industry']],
  ['employees', ['employees', 'estimated_num_employees', 'num_employees']],
  ['country', ['country', 'organization_country']],
  ['state', ['state', 'organization_state']],
  ['city', ['city', 'organization_city']],
  ['icp_score', ['icp_score', 'score', 'fit_score', 'icp_fit_score']],
  ['tier', ['tier', 'icp_tier', 'fit_tier', 'icp_fit_tier']],
  ['campaign', ['campaign']],
] as const;

/** Apollo's answers and saved files also name the company and its website these ways. */
const APOLLO_EXTRA_KEYS: Readonly<Record<string, readonly string[]>> = {
  name: ['company', 'company_name'],
  domain: ['website'],
};

/** Canonical company key -> the keys read for it in Apollo's shapes: the canonical ones, then Apollo's. */
export const COMPANY_KEY_ALIASES: ReadonlyArray<readonly [string, readonly string[]]> = COMPANY_JSON_KEYS.map(
  ([key, keys]) => [key, [...keys, ...(APOLLO_EXTRA_KEYS[key] ?? [])]] as const,
);

const RUN_KEYS = [
  'run_id',
  'started_at',
  'label',
  'score_scale',
  'api_calls',
  'api_metrics',
  'quality_scores',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** An Apollo item as a company object with canonical keys (the value as written, for the validator). */
export function companyOfApolloItem(item: unknown): unknown {
  if (!isRecord(item)) return item;
  const lower = new Map<string, unknown>();
  for (const [key, value] of Object.entries(item)) {
    const k = key.toLowerCase();
    if (!lower.has(k) || isBlank(lower.get(k))) lower.set(k, value);
  }
  const out: Record<string, unknown> = {};
  for (const [canonical, keys] of COMPANY_KEY_ALIASES) {
    for (const key of keys) {
      const value = lower.get(key);
      if (!isBlank(value)) {
        out[canonical] = value;
        break;
      }
    }
  }
  return out;
}

export interface NormalisedJson {
  shape: ApolloShape | undefined;
  /** The run body to validate: the input itself for a run, else a new object with `companies`. */
  body: unknown;
  warnings: ReadWarning[];
  /** For people matches: how many people the companies came from. */
  people?: number;
}

/** Keys only our run format has: an object with one of them is read (and checked) as a run. */
const RUN_ONLY_KEYS = ['companies', 'started_at', 'run_id', 'api_calls', 'api_metrics'];

function shapeOf(body: unknown): ApolloShape | undefined {
  // A list of anything but objects is left to the run schema, which says what it expected.
  if (Array.isArray(body)) return body.length === 0 || isRecord(body[0]) ? 'organization_list' : 'run';
  if (!isRecord(body)) return 'run';
  if (RUN_ONLY_KEYS.some((key) => key in body)) return 'run';
  const orgs = Array.isArray(body.organizations);
  const accounts = Array.isArray(body.accounts);
  if (orgs && (accounts || isRecord(body.pagination))) return 'search_page';
  if (accounts) return 'saved_accounts';
  if (orgs) return 'bulk_enrich';
  if (isRecord(body.organization)) return 'enrich';
  if (Array.isArray(body.matches)) return 'people_match';
  return undefined;
}

function organizationsOfMatches(matches: readonly unknown[]): unknown[] {
  const seen = new Map<string, number>();
  const out: unknown[] = [];
  for (const match of matches) {
    const org = isRecord(match) ? match.organization : undefined;
    if (!isRecord(org)) continue;
    const company = companyOfApolloItem(org) as Record<string, unknown>;
    const keys = [
      typeof org.id === 'string' ? `id:${org.id}` : undefined,
      typeof company.domain === 'string' ? `domain:${company.domain.toLowerCase()}` : undefined,
      typeof company.name === 'string' ? `name:${nameKey(company.name)}` : undefined,
    ].filter((k): k is string => k !== undefined);
    const known = keys.map((k) => seen.get(k)).find((i) => i !== undefined);
    const index = known ?? out.push(company) - 1;
    for (const k of keys) if (!seen.has(k)) seen.set(k, index);
  }
  return out;
}

/** Recognises the shape and builds the run body; `shape` undefined means none was recognised. */
export function normaliseApolloJson(body: unknown): NormalisedJson {
  const shape = shapeOf(body);
  if (shape === undefined || shape === 'run') return { shape, body, warnings: [] };
  const top: Record<string, unknown> = isRecord(body) ? body : {};
  const run: Record<string, unknown> = {};
  for (const key of RUN_KEYS) if (key in top) run[key] = top[key];
  let companies: unknown[];
  let people: number | undefined;
  let unlocated = 0;
  if (shape === 'organization_list') companies = (body as unknown[]).map(companyOfApolloItem);
  else if (shape === 'enrich') companies = [companyOfApolloItem(top.organization)];
  else if (shape === 'people_match') {
    const matches = top.matches as unknown[];
    people = matches.length;
    companies = organizationsOfMatches(matches);
  } else {
    const orgs = Array.isArray(top.organizations) ? top.organizations.map(companyOfApolloItem) : [];
    const accounts = Array.isArray(top.accounts) ? top.accounts.map(companyOfApolloItem) : [];
    if (shape === 'search_page') {
      unlocated = orgs.filter((c) => isRecord(c) && isBlank(c.country)).length;
    }
    companies = [...orgs, ...accounts];
  }
  run.companies = companies;
  const warnings: ReadWarning[] = [
    {
      code: 'apollo_shape',
      message: `Read as ${SHAPE_NAMES[shape]}: ${people === undefined ? '' : `${people} ${people === 1 ? 'person' : 'people'} at `}${companies.length} ${companies.length === 1 ? 'company' : 'companies'}.`,
    },
    ...missingFigureWarnings(companies, shape, unlocated),
  ];
  return { shape, body: run, warnings, ...(people === undefined ? {} : { people }) };
}

const WHY: Partial<Record<ApolloShape, string>> = {
  search_page: 'Apollo search results carry no firmographics; enrich the organizations for them',
  saved_accounts: 'saved accounts carry no industry or employee count',
};

function missingFigureWarnings(
  companies: readonly unknown[],
  shape: ApolloShape,
  unlocated: number,
): ReadWarning[] {
  const total = companies.length;
  if (total === 0) return [];
  const count = (key: string) => companies.filter((c) => isRecord(c) && !isBlank(c[key])).length;
  const missing: string[] = [];
  if (count('industry') === 0) missing.push('industry');
  if (count('employees') === 0) missing.push('employee count');
  if (count('country') === 0) missing.push('location');
  const warnings: ReadWarning[] = [];
  const why = WHY[shape];
  if (missing.length > 0) {
    warnings.push({
      code: 'missing_figures',
      message: `No company has ${missing.join(', ').replace(/, ([^,]*)$/, ' or $1')}${why ? ` (${why})` : ''}: those tables show them as Unknown.`,
    });
  }
  if (!missing.includes('location') && unlocated > 0) {
    warnings.push({
      code: 'missing_figures',
      message: `${unlocated} of ${total} companies (the search's organizations, not yet saved as accounts) have no location: the country table shows them as Unknown.`,
    });
  }
  return warnings;
}
