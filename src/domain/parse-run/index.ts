/**
 * Parsing of uploaded runs (JSON from a pipeline, or an Apollo CSV export) into a `Run`.
 *
 * Pure: no fs, no process, no clock. Either the whole upload is valid and a `Run` comes back, or an
 * `AppError` is thrown (`upload_too_large` before any parsing, or `upload_invalid` carrying every
 * problem found, each naming where it is and which field). Nothing partial is ever returned.
 */

import { createHash } from 'node:crypto';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError, type FieldProblem } from '../../errors.js';
import {
  type ApiCall,
  type ApiMetrics,
  CAMPAIGNS,
  type Campaign,
  type Company,
  type Run,
  TIERS,
  type Tier,
} from '../model.js';

export interface ParseLimits {
  maxBytes: number;
  maxCompanies: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxBytes: 20 * 1024 * 1024, maxCompanies: 100_000 };

export type RunFormat = 'json' | 'csv';

export interface ParseOptions {
  /**
   * Convert valid uploads directly (default true). False runs every upload through the zod schema
   * alone: the reference the fast path is tested against; both give the same run or the same problems.
   */
  fastPath?: boolean;
}

export interface RunUploadInput {
  text: string;
  format: RunFormat;
  /** For CSV (required there, since CSV carries no run metadata) and as an override/fallback for JSON. */
  started_at?: string;
  run_id?: string;
  label?: string;
}

/** Content type first, then the file name, then a look at the first character. */
export function detectRunFormat(hints: { text: string; filename?: string; contentType?: string }): RunFormat {
  const contentType = hints.contentType?.toLowerCase() ?? '';
  const filename = hints.filename?.trim().toLowerCase() ?? '';
  if (contentType.includes('csv') || filename.endsWith('.csv')) return 'csv';
  if (contentType.includes('json') || filename.endsWith('.json')) return 'json';
  const first = hints.text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .charAt(0);
  return first === '{' || first === '[' ? 'json' : 'csv';
}

/**
 * Parses and validates an upload. Throws `AppError('upload_too_large')` when over the limits and
 * `AppError('upload_invalid', …, { problems })` listing every problem found.
 *
 * Timestamps are ISO-8601 with a date; a date alone is midnight UTC and a date-time without an offset
 * is read as UTC (never as the machine's local time).
 */
export function parseRunUpload(
  input: RunUploadInput,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  options: ParseOptions = {},
): Run {
  const bytes = Buffer.byteLength(input.text, 'utf8');
  if (bytes > limits.maxBytes) {
    throw new AppError(
      'upload_too_large',
      `The upload is ${formatSize(bytes, limits.maxBytes, 'up')}; the limit is ${formatSize(limits.maxBytes, limits.maxBytes, 'down')}.`,
    );
  }
  const fastPath = options.fastPath ?? true;
  if (input.format === 'json') return parseJsonRun(input, limits, fastPath);
  if (input.format === 'csv') return parseCsvRun(input, limits, fastPath);
  throw new AppError(
    'upload_invalid',
    `Unknown upload format ${describe(input.format)}; expected json or csv.`,
  );
}

/** One problem a line, at most `max` of them, then "…and N more problems". */
export function formatProblems(problems: FieldProblem[], max = 5): string {
  const shown = problems.slice(0, Math.max(0, max));
  const lines = shown.map((problem) => {
    const place = placeOf(problem);
    return `• ${place ? `${place}: ` : ''}${problem.message}`;
  });
  const rest = problems.length - shown.length;
  if (rest > 0) lines.push(`…and ${rest} more ${rest === 1 ? 'problem' : 'problems'}`);
  return lines.join('\n');
}

function placeOf(problem: FieldProblem): string {
  if (!problem.where) return problem.field;
  if (!problem.field) return problem.where;
  return problem.where.startsWith('row ')
    ? `${problem.where}, ${problem.field}`
    : `${problem.where}.${problem.field}`;
}

// ---------------------------------------------------------------------------------------------------
// Limits

const KIB = 1024;
const MIB = 1024 * 1024;

/** The unit follows the limit (MiB for real limits); the upload's size is rounded up so it never reads as equal. */
function formatSize(bytes: number, limit: number, rounding: 'up' | 'down'): string {
  const [unit, name] = limit >= MIB ? [MIB, 'MiB'] : limit >= KIB ? [KIB, 'KiB'] : [1, 'bytes'];
  const scaled = (bytes / unit) * 10;
  const tenths = rounding === 'up' ? Math.ceil(scaled) : Math.floor(scaled);
  return `${(tenths / 10).toFixed(1).replace(/\.0$/, '')} ${name}`;
}

function tooManyCompanies(count: number, limits: ParseLimits): AppError {
  return new AppError(
    'upload_too_large',
    `The upload has ${groupThousands(count)} companies; the limit is ${groupThousands(limits.maxCompanies)}.`,
  );
}

function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// ---------------------------------------------------------------------------------------------------
// Field converters: each takes an unknown value and says what it is or what was expected.

/** Why a value was refused. A converter returns the value itself when it is fine, so success allocates nothing. */
class Invalid {
  constructor(readonly message: string) {}
}

type Converted<T> = T | Invalid;

const ok = <T>(value: T): Converted<T> => value;
const fail = (message: string): Converted<never> => new Invalid(message);
const expectedGot = (expected: string, value: unknown): string =>
  `expected ${expected}, got ${describe(value)}`;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A zod schema for one field, driven by a converter; its failures become zod issues on that field.
 * `.optional()` on the input side lets zod 4 pass an absent key to the converter (which says "required").
 */
function field<T>(convert: (value: unknown) => Converted<T>) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      const result = convert(value);
      if (!(result instanceof Invalid)) return result;
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    });
}

/** Names become keys of per-industry/country/endpoint tables: this one would be JavaScript's prototype. */
const RESERVED_NAME = '__proto__';

function text(value: string): Converted<string> {
  const trimmed = value.trim();
  return trimmed === RESERVED_NAME
    ? fail('`__proto__` is reserved and cannot be used as a name')
    : ok(trimmed);
}

function optionalText(value: unknown): Converted<string | undefined> {
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string') return text(value);
  return fail(expectedGot('text', value));
}

function requiredText(value: unknown): Converted<string> {
  if (isBlank(value)) return fail('required');
  if (typeof value === 'string') return text(value);
  return fail(expectedGot('text', value));
}

interface NumberSpec {
  /** What a person should have written, e.g. "a number from 0 to 100". */
  expected: string;
  min?: number;
  max?: number;
  integer?: boolean;
  /** Accept "1,200" (strict groups of three). */
  thousands?: boolean;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

function readNumber(value: unknown, spec: NumberSpec): Converted<number | undefined> {
  if (isBlank(value)) return ok(undefined);
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (DECIMAL.test(text)) n = Number(text);
    else if (spec.thousands && GROUPED.test(text)) n = Number(text.replaceAll(',', ''));
    else return fail(expectedGot(spec.expected, value));
  } else {
    return fail(expectedGot(spec.expected, value));
  }
  const inRange =
    Number.isFinite(n) &&
    (!spec.integer || Number.isInteger(n)) &&
    (spec.min === undefined || n >= spec.min) &&
    (spec.max === undefined || n <= spec.max);
  return inRange ? ok(n) : fail(expectedGot(spec.expected, n));
}

const optionalNumber =
  (spec: NumberSpec) =>
  (value: unknown): Converted<number | undefined> =>
    readNumber(value, spec);

const requiredNumber =
  (spec: NumberSpec) =>
  (value: unknown): Converted<number> => {
    const result = readNumber(value, spec);
    if (result instanceof Invalid) return result;
    return result === undefined ? fail('required') : result;
  };

const numberOrDefault =
  (spec: NumberSpec, fallback: number) =>
  (value: unknown): Converted<number> => {
    const result = readNumber(value, spec);
    return result instanceof Invalid ? result : (result ?? fallback);
  };

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const ISO_EXPECTED = 'an ISO-8601 date such as 2026-11-02 or 2026-11-02T09:30:00Z';

/** The form `toISOString` writes, which pipelines usually send. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Two or four ASCII digits of `text` at `at`, as a number. */
function digitsAt(text: string, at: number, count: 2 | 4): number {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** True when `text` is already in the canonical form (as `toISOString` writes it) and a real instant. */
function isCanonicalInstant(text: string): boolean {
  if (!CANONICAL_INSTANT.test(text)) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const daysInMonth = month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    digitsAt(text, 11, 2) <= 23 &&
    digitsAt(text, 14, 2) <= 59 &&
    digitsAt(text, 17, 2) <= 59
  );
}

/** Built by hand rather than with `Date.parse`, so an offset-less time is UTC on every machine. */
function isoInstant(text: string): string | undefined {
  // Shortcut: what pipelines usually send is already canonical, and then it is its own answer.
  if (isCanonicalInstant(text)) return text;
  const m = ISO_DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth =
    new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  return new Date(date.getTime() - offsetMinutes * 60_000).toISOString();
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function requiredInstant(value: unknown): Converted<string> {
  if (isBlank(value)) return fail('required');
  const instant = typeof value === 'string' ? isoInstant(value) : undefined;
  return instant === undefined ? fail(expectedGot(ISO_EXPECTED, value)) : ok(instant);
}

const RUN_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function optionalRunId(value: unknown): Converted<string | undefined> {
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string' && RUN_ID.test(value.trim())) return ok(value.trim());
  return fail(expectedGot('1 to 100 letters, digits or . _ : -', value));
}

const TIER_KEYS = new Map<string, Tier>([
  ['1', 'Tier 1'],
  ['2', 'Tier 2'],
  ['3', 'Tier 3'],
  ['tier1', 'Tier 1'],
  ['tier2', 'Tier 2'],
  ['tier3', 'Tier 3'],
  ['unqualified', 'Unqualified'],
]);

const EXACT_TIERS: ReadonlySet<unknown> = new Set(TIERS);

function tierOf(value: unknown): Converted<Tier> {
  if (EXACT_TIERS.has(value)) return value as Tier;
  if (isBlank(value)) return ok('Unqualified');
  if (typeof value === 'string' || typeof value === 'number') {
    const tier = TIER_KEYS.get(
      String(value)
        .toLowerCase()
        .replace(/[\s_-]+/g, ''),
    );
    if (tier) return ok(tier);
  }
  return fail(expectedGot('one of Tier 1, Tier 2, Tier 3, Unqualified', value));
}

const CAMPAIGN_KEYS = new Map<string, Campaign>([
  ['email', 'Email'],
  ['linkedin', 'LinkedIn'],
  ['content', 'Content'],
]);

const EXACT_CAMPAIGNS: ReadonlySet<unknown> = new Set(CAMPAIGNS);

function campaignOf(value: unknown): Converted<Campaign | undefined> {
  if (EXACT_CAMPAIGNS.has(value)) return value as Campaign;
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string') {
    const campaign = CAMPAIGN_KEYS.get(value.toLowerCase().replace(/\s+/g, ''));
    if (campaign) return ok(campaign);
  }
  return fail(expectedGot('one of Email, LinkedIn, Content', value));
}

/** Already a bare lower-case host (no scheme, path, port, user, `www.` or trailing dot): nothing to change. */
const BARE_HOST = /^(?!www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/** "https://www.Example.com/about?x=1" -> "example.com". */
function normaliseDomain(raw: string): string {
  if (BARE_HOST.test(raw)) return raw;
  const host = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^\/\//, '')
    .split(/[/?#]/, 1)[0];
  return (host ?? '')
    .replace(/^[^@]*@/, '')
    .replace(/:\d*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
}

function domainOf(value: unknown): Converted<string | undefined> {
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string') {
    const domain = normaliseDomain(value);
    if (domain && !/\s/.test(domain)) return ok(domain);
  }
  return fail(expectedGot('a domain or website such as example.com', value));
}

// ---------------------------------------------------------------------------------------------------
// Shapes

const typeError = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'required' : expectedGot(expected, issue.input);

const SCORE: NumberSpec = { expected: 'a number from 0 to 100', min: 0, max: 100 };
const SECONDS: NumberSpec = { expected: 'a number of seconds, 0 or more', min: 0 };
const CREDITS: NumberSpec = { expected: 'a number, 0 or more', min: 0 };
const FRACTION: NumberSpec = { expected: 'a fraction from 0 to 1 (e.g. 0.97)', min: 0, max: 1 };

/**
 * Each field's converter, in output order. The zod schemas are built from these tables, and so is
 * the fast path for valid uploads (see `readRunFast`), so both accept exactly the same values.
 */
const COMPANY_FIELDS = {
  name: requiredText,
  domain: domainOf,
  industry: optionalText,
  employees: optionalNumber({
    expected: 'a whole number, 0 or more',
    min: 0,
    integer: true,
    thousands: true,
  }),
  country: optionalText,
  state: optionalText,
  city: optionalText,
  icp_score: optionalNumber(SCORE),
  tier: tierOf,
  campaign: campaignOf,
};

const API_CALL_FIELDS = {
  timestamp: requiredInstant,
  endpoint: requiredText,
  response_time: requiredNumber(SECONDS),
  status_code: requiredNumber({
    expected: 'an HTTP status (a whole number from 100 to 599)',
    min: 100,
    max: 599,
    integer: true,
  }),
  credits_used: numberOrDefault(CREDITS, 0),
};

type Converter = (value: unknown) => Converted<unknown>;
type ConvertedValue<C> = C extends (value: unknown) => Converted<infer T> ? T : never;

function fieldShape<F extends Record<string, Converter>>(fields: F) {
  return Object.fromEntries(Object.entries(fields).map(([key, convert]) => [key, field(convert)])) as {
    [K in keyof F]: ReturnType<typeof field<ConvertedValue<F[K]>>>;
  };
}

const companySchema = z.object(fieldShape(COMPANY_FIELDS), { error: typeError('an object') });

const apiCallSchema = z.object(fieldShape(API_CALL_FIELDS), { error: typeError('an object') });

const apiMetricsSchema = z
  .object(
    {
      total_calls: field(requiredNumber({ expected: 'a whole number, 0 or more', min: 0, integer: true })),
      success_rate: field(requiredNumber(FRACTION)),
      avg_response_time: field(requiredNumber(SECONDS)),
      credits_used: field(requiredNumber(CREDITS)),
      error_rate: field(requiredNumber(FRACTION)),
    },
    { error: typeError('an object') },
  )
  .superRefine((metrics, ctx) => {
    const sum = metrics.success_rate + metrics.error_rate;
    if (metrics.total_calls > 0 && Math.abs(sum - 1) > 0.01) {
      ctx.addIssue({
        code: 'custom',
        path: ['error_rate'],
        message: `expected success_rate + error_rate to add up to 1, got ${metrics.success_rate} + ${metrics.error_rate} = ${Number(sum.toFixed(4))}`,
      });
    }
  });

const absentIfNull = (value: unknown): unknown => (value === null ? undefined : value);
const qualityScore = requiredNumber({ expected: 'a number' });

const runSchema = z.object(
  {
    run_id: field(optionalRunId),
    started_at: field(requiredInstant),
    label: field(optionalText),
    companies: z.array(companySchema, { error: typeError('a list of companies') }),
    api_calls: z.preprocess(
      absentIfNull,
      z.array(apiCallSchema, { error: typeError('a list of API calls') }).optional(),
    ),
    api_metrics: z.preprocess(absentIfNull, apiMetricsSchema.optional()),
    quality_scores: z.preprocess(
      absentIfNull,
      z.array(field(qualityScore), { error: typeError('a list of numbers') }).optional(),
    ),
  },
  { error: typeError('a JSON object with started_at and companies') },
);

type ParsedRun = z.output<typeof runSchema>;

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function toRun(parsed: ParsedRun, text: string): Run {
  const companies: Company[] = parsed.companies.map((company) => dropUndefined<Company>(company));
  const apiCalls: ApiCall[] = (parsed.api_calls ?? []).map((call) => ({ ...call }));
  const metrics: ApiMetrics | undefined = parsed.api_metrics && { ...parsed.api_metrics };
  return dropUndefined<Run>({
    run_id: parsed.run_id ?? deriveRunId(text),
    started_at: parsed.started_at,
    label: parsed.label,
    companies,
    api_calls: apiCalls,
    api_metrics: metrics,
    quality_scores: parsed.quality_scores ?? [],
  });
}

// ---------------------------------------------------------------------------------------------------
// The fast path. Most uploads are valid, and a 100,000-company run has over a million fields: zod's
// per-field machinery and the intermediate objects cost several times the JSON parse. A valid upload
// is therefore converted field by field with the schemas' own converters (the same tables), straight
// into the run's objects. Anything the fast path does not accept goes through the schema, which either
// names every problem or (for a shape the fast path leaves to it) returns the same run.

type FieldTable = ReadonlyArray<readonly [string, Converter]>;
const API_CALL_TABLE: FieldTable = Object.entries(API_CALL_FIELDS);

interface RunHead {
  run_id: string | undefined;
  started_at: string;
  label: string | undefined;
}

function readRunHead(raw: { run_id: unknown; started_at: unknown; label: unknown }): RunHead | undefined {
  const runId = optionalRunId(raw.run_id);
  const startedAt = requiredInstant(raw.started_at);
  const label = optionalText(raw.label);
  if (runId instanceof Invalid || startedAt instanceof Invalid || label instanceof Invalid) return undefined;
  return { run_id: runId, started_at: startedAt, label };
}

/** Converts `raw[key]` for every field of the table; undefined when one is invalid. Absent results are left out. */
function readFields(raw: unknown, table: FieldTable): Record<string, unknown> | undefined {
  if (!isRecord(raw)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, convert] of table) {
    const result = convert(raw[key]);
    if (result instanceof Invalid) return undefined;
    if (result !== undefined) out[key] = result;
  }
  return out;
}

/** The optional lists and metrics of a JSON run; undefined when any of them is not plainly valid. */
function readRunExtras(
  body: Record<string, unknown>,
): Pick<Run, 'api_calls' | 'api_metrics' | 'quality_scores'> | undefined {
  const api_calls: ApiCall[] = [];
  const rawCalls = absentIfNull(body.api_calls);
  if (rawCalls !== undefined) {
    if (!Array.isArray(rawCalls)) return undefined;
    for (const raw of rawCalls) {
      const call = readFields(raw, API_CALL_TABLE);
      if (!call) return undefined;
      api_calls.push(call as unknown as ApiCall);
    }
  }
  let api_metrics: ApiMetrics | undefined;
  const rawMetrics = absentIfNull(body.api_metrics);
  if (rawMetrics !== undefined) {
    const parsed = apiMetricsSchema.safeParse(rawMetrics);
    if (!parsed.success) return undefined;
    api_metrics = { ...parsed.data };
  }
  const quality_scores: number[] = [];
  const rawQuality = absentIfNull(body.quality_scores);
  if (rawQuality !== undefined) {
    if (!Array.isArray(rawQuality)) return undefined;
    for (const raw of rawQuality) {
      const score = qualityScore(raw);
      if (score instanceof Invalid) return undefined;
      quality_scores.push(score);
    }
  }
  return { api_calls, api_metrics, quality_scores };
}

function assembleRun(
  head: RunHead,
  companies: Company[],
  extras: Pick<Run, 'api_calls' | 'api_metrics' | 'quality_scores'>,
  text: string,
): Run {
  return dropUndefined<Run>({
    run_id: head.run_id ?? deriveRunId(text),
    started_at: head.started_at,
    label: head.label,
    companies,
    api_calls: extras.api_calls,
    api_metrics: extras.api_metrics,
    quality_scores: extras.quality_scores,
  });
}

function deriveRunId(text: string): string {
  return `run-${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12)}`;
}

/** How a zod issue path inside `companies` is named for a person (JSON index or CSV row, key as written). */
interface CompanyLocator {
  where: (index: number) => string;
  field: (index: number, key: string) => string;
}

function toProblems(issues: readonly z.core.$ZodIssue[], companies: CompanyLocator): FieldProblem[] {
  return issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const last = path.at(-1);
    const fieldName = typeof last === 'string' && path.length > 0 ? last : '';
    const prefix = fieldName ? path.slice(0, -1) : path;
    const [head, index] = prefix;
    if (head === 'companies' && typeof index === 'number' && prefix.length === 2) {
      return {
        where: companies.where(index),
        field: fieldName && companies.field(index, fieldName),
        message: issue.message,
      };
    }
    const where = prefix.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
    return { where, field: fieldName, message: issue.message };
  });
}

function invalid(problems: FieldProblem[]): AppError {
  const count = problems.length;
  return new AppError('upload_invalid', `The run has ${count} ${count === 1 ? 'problem' : 'problems'}.`, {
    problems,
  });
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

// ---------------------------------------------------------------------------------------------------
// JSON

type CanonicalKey = keyof z.input<typeof companySchema> & string;

const JSON_ALIASES: ReadonlyArray<readonly [CanonicalKey, readonly string[]]> = [
  ['name', ['name', 'organization_name']],
  ['domain', ['domain', 'primary_domain', 'website_url']],
  ['industry', ['industry']],
  ['employees', ['employees', 'estimated_num_employees', 'num_employees']],
  ['country', ['country', 'organization_country']],
  ['state', ['state', 'organization_state']],
  ['city', ['city', 'organization_city']],
  ['icp_score', ['icp_score']],
  ['tier', ['tier']],
  ['campaign', ['campaign']],
];

interface Aliased {
  value: unknown;
  /** canonical key -> the key the value came from */
  sources: Partial<Record<string, string>>;
}

function aliasCompany(raw: unknown): Aliased {
  if (!isRecord(raw)) return { value: raw, sources: {} };
  const value: Record<string, unknown> = {};
  const sources: Partial<Record<string, string>> = {};
  for (const [canonical, keys] of JSON_ALIASES) {
    const key = keys.find((k) => !isBlank(raw[k])) ?? keys.find((k) => k in raw);
    if (key === undefined) continue;
    value[canonical] = raw[key];
    sources[canonical] = key;
  }
  return { value, sources };
}

/** JSON aliases with the converter of their canonical field, in the output order of the schema. */
const JSON_COMPANY_READERS = JSON_ALIASES.map(
  ([canonical, keys]) => [canonical, keys, COMPANY_FIELDS[canonical] as Converter] as const,
);

/** A company read through its aliases (the first non-blank one), or undefined when a field is invalid. */
function readJsonCompany(raw: unknown): Company | undefined {
  if (!isRecord(raw)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [canonical, keys, convert] of JSON_COMPANY_READERS) {
    let value: unknown;
    for (const key of keys) {
      const candidate = raw[key];
      if (!isBlank(candidate)) {
        value = candidate;
        break;
      }
    }
    const result = convert(value);
    if (result instanceof Invalid) return undefined;
    if (result !== undefined) out[canonical] = result;
  }
  return out as unknown as Company;
}

function readJsonRunFast(body: Record<string, unknown>, input: RunUploadInput): Run | undefined {
  const head = readRunHead({
    run_id: nonBlank(input.run_id) ?? body.run_id,
    started_at: nonBlank(input.started_at) ?? body.started_at,
    label: nonBlank(input.label) ?? body.label,
  });
  if (!head || !Array.isArray(body.companies)) return undefined;
  const companies: Company[] = [];
  for (const raw of body.companies) {
    const company = readJsonCompany(raw);
    if (!company) return undefined;
    companies.push(company);
  }
  const extras = readRunExtras(body);
  return extras && assembleRun(head, companies, extras, input.text);
}

function parseJsonRun(input: RunUploadInput, limits: ParseLimits, fastPath: boolean): Run {
  const body = parseJsonText(input.text);
  if (isRecord(body) && Array.isArray(body.companies) && body.companies.length > limits.maxCompanies) {
    throw tooManyCompanies(body.companies.length, limits);
  }
  const fast = fastPath && isRecord(body) ? readJsonRunFast(body, input) : undefined;
  if (fast) return fast;
  const aliased = isRecord(body) && Array.isArray(body.companies) ? body.companies.map(aliasCompany) : [];
  const merged = isRecord(body)
    ? {
        ...body,
        run_id: nonBlank(input.run_id) ?? body.run_id,
        started_at: nonBlank(input.started_at) ?? body.started_at,
        label: nonBlank(input.label) ?? body.label,
        companies: Array.isArray(body.companies) ? aliased.map((a) => a.value) : body.companies,
      }
    : body;
  const result = runSchema.safeParse(merged);
  if (!result.success) {
    throw invalid(
      toProblems(result.error.issues, {
        where: (index) => `companies[${index}]`,
        field: (index, key) => aliased[index]?.sources[key] ?? key,
      }),
    );
  }
  return toRun(result.data, input.text);
}

function parseJsonText(text: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const fromMessage = /at position (\d+)/.exec(message)?.[1];
    const offset = fromMessage === undefined ? findJsonErrorOffset(source) : Number(fromMessage);
    const where = offset === undefined ? '' : ` at ${lineAndColumn(source, offset)}`;
    throw invalid([{ where: '', field: '', message: `not valid JSON${where}: ${jsonReason(message)}` }]);
  }
}

function jsonReason(message: string): string {
  const token = /^Unexpected token '?(.*?)'?, ".*" is not valid JSON$/s.exec(message);
  const reason = token
    ? `unexpected ${JSON.stringify(token[1])}`
    : message
        .replace(/\s*\(line \d+ column \d+\)/, '')
        .replace(/ in JSON at position \d+$/, '')
        .replace(/ at position \d+$/, '')
        .replace('JSON input', 'input');
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${end - lineStart + 1}`;
}

/**
 * Where JSON.parse gave up, for engines whose message carries no position. A small, non-recursive
 * JSON scanner; returns undefined if it finds nothing wrong.
 */
function findJsonErrorOffset(text: string): number | undefined {
  type State = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'after';
  const n = text.length;
  const stack: string[] = [];
  let state: State = 'value';
  let i = 0;
  for (;;) {
    while (i < n && ' \t\n\r'.includes(text.charAt(i))) i++;
    if (i >= n) return state === 'after' && stack.length === 0 ? undefined : n;
    const ch = text.charAt(i);
    if (state === 'valueOrClose' && ch === ']') {
      stack.pop();
      i++;
      state = 'after';
    } else if (state === 'keyOrClose' && ch === '}') {
      stack.pop();
      i++;
      state = 'after';
    } else if (state === 'value' || state === 'valueOrClose') {
      if (ch === '{' || ch === '[') {
        stack.push(ch);
        i++;
        state = ch === '{' ? 'keyOrClose' : 'valueOrClose';
      } else {
        const end = ch === '"' ? scanJsonString(text, i) : scanJsonScalar(text, i);
        if (end < 0) return -end - 1;
        i = end;
        state = 'after';
      }
    } else if (state === 'key' || state === 'keyOrClose') {
      if (ch !== '"') return i;
      const end = scanJsonString(text, i);
      if (end < 0) return -end - 1;
      i = end;
      state = 'colon';
    } else if (state === 'colon') {
      if (ch !== ':') return i;
      i++;
      state = 'value';
    } else {
      const open = stack.at(-1);
      if (open === undefined) return i;
      if (ch === ',') {
        i++;
        state = open === '{' ? 'key' : 'value';
      } else if ((open === '{' && ch === '}') || (open === '[' && ch === ']')) {
        stack.pop();
        i++;
      } else {
        return i;
      }
    }
  }
}

/** Returns the index after the closing quote, or -(errorIndex + 1). */
function scanJsonString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 34) return i + 1;
    if (code < 32) return -(i + 1);
    if (code === 92) {
      const next = text.charAt(i + 1);
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1);
        i += 6;
      } else if ('"\\/bfnrt'.includes(next) && next !== '') {
        i += 2;
      } else {
        return -(i + 1);
      }
    } else {
      i++;
    }
  }
  return -(text.length + 1);
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scanJsonScalar(text: string, start: number): number {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  JSON_NUMBER.lastIndex = start;
  const match = JSON_NUMBER.exec(text);
  return match ? start + match[0].length : -(start + 1);
}

// ---------------------------------------------------------------------------------------------------
// CSV

/** Header names per field, most preferred first; the first one present in the file is used. */
const CSV_COLUMNS: ReadonlyArray<readonly [CanonicalKey, readonly string[]]> = [
  ['name', ['company', 'company name', 'name', 'company name for emails']],
  ['domain', ['website', 'domain', 'company domain']],
  ['industry', ['industry']],
  ['employees', ['# employees', 'employees', 'number of employees']],
  ['city', ['company city', 'city']],
  ['state', ['company state', 'state']],
  ['country', ['company country', 'country']],
  ['icp_score', ['icp score', 'icp_score', 'score']],
  ['tier', ['tier']],
  ['campaign', ['campaign']],
];

interface CsvRecord {
  cells: string[];
  /** Line where the record starts, as an editor numbers it. */
  line: number;
}

const normaliseHeader = (header: string): string => header.trim().toLowerCase().replace(/\s+/g, ' ');

function parseCsvRun(input: RunUploadInput, limits: ParseLimits, fastPath: boolean): Run {
  const [header, ...rows] = readCsvRecords(input.text);
  const startedAt = nonBlank(input.started_at);
  const startedAtProblems: FieldProblem[] =
    startedAt === undefined
      ? [
          {
            where: '',
            field: 'started_at',
            message: 'started_at is required for CSV uploads (query parameter or field)',
          },
        ]
      : [];
  if (header === undefined) {
    throw invalid([
      { where: '', field: '', message: 'the file is empty: expected a header row, then one row per company' },
      ...startedAtProblems,
    ]);
  }
  if (rows.length > limits.maxCompanies) throw tooManyCompanies(rows.length, limits);

  const headers = header.cells.map((cell) => cell.trim());
  const normalised = headers.map(normaliseHeader);
  const columns: Array<readonly [CanonicalKey, number]> = [];
  for (const [canonical, names] of CSV_COLUMNS) {
    const found = names.map((name) => normalised.indexOf(name)).find((index) => index >= 0);
    if (found !== undefined) columns.push([canonical, found]);
  }
  if (!columns.some(([canonical]) => canonical === 'name')) {
    throw invalid([
      {
        where: `row ${header.line}`,
        field: '',
        message:
          'no company name column: expected a column named Company, Company Name, Name or Company Name for Emails',
      },
      ...startedAtProblems,
    ]);
  }

  const fast = fastPath ? readCsvRunFast(input, startedAt, columns, rows) : undefined;
  if (fast) return fast;
  const headerOf = new Map(
    columns.map(([canonical, index]) => [canonical as string, headers[index] ?? canonical]),
  );
  const companies = rows.map((row) =>
    Object.fromEntries(columns.map(([canonical, index]) => [canonical, row.cells[index] ?? ''])),
  );
  const result = runSchema.safeParse({
    run_id: input.run_id,
    started_at: startedAt,
    label: input.label,
    companies,
  });
  if (!result.success) {
    // started_at has its own CSV-specific message; every other problem comes from the schema.
    const issues = result.error.issues.filter(
      (issue) => !(startedAt === undefined && issue.path[0] === 'started_at'),
    );
    throw invalid([
      ...startedAtProblems,
      ...toProblems(issues, {
        where: (index) => `row ${rows[index]?.line ?? '?'}`,
        field: (_index, key) => headerOf.get(key) ?? key,
      }),
    ]);
  }
  return toRun(result.data, input.text);
}

function readCsvRunFast(
  input: RunUploadInput,
  startedAt: string | undefined,
  columns: ReadonlyArray<readonly [CanonicalKey, number]>,
  rows: readonly CsvRecord[],
): Run | undefined {
  const head = readRunHead({ run_id: input.run_id, started_at: startedAt, label: input.label });
  if (!head) return undefined;
  const columnOf = new Map<string, number>(columns);
  // Every field in the schema's order, with its column (-1: not in the file, so absent).
  const readers = Object.entries(COMPANY_FIELDS).map(
    ([canonical, convert]) => [canonical, columnOf.get(canonical) ?? -1, convert as Converter] as const,
  );
  const companies: Company[] = [];
  for (const row of rows) {
    const out: Record<string, unknown> = {};
    for (const [canonical, index, convert] of readers) {
      const result = convert(index < 0 ? undefined : (row.cells[index] ?? ''));
      if (result instanceof Invalid) return undefined;
      if (result !== undefined) out[canonical] = result;
    }
    companies.push(out as unknown as Company);
  }
  return assembleRun(
    head,
    companies,
    { api_calls: [], api_metrics: undefined, quality_scores: [] },
    input.text,
  );
}

/** Every non-blank record with its starting line; a syntax error becomes a problem naming the line. */
function readCsvRecords(text: string): CsvRecord[] {
  const source = text.replace(/\r\n?/g, '\n');
  let lastLine = 0;
  const startLines: number[] = [];
  let rows: string[][];
  try {
    rows = parseCsv(source, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      on_record: (cells: string[], context) => {
        lastLine = context.lines;
        const breaks = cells.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
        startLines.push(context.lines - breaks);
        return cells;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const info = error as CsvError & { lines?: number };
    const line = error.code === 'CSV_QUOTE_NOT_CLOSED' ? firstContentLine(source, lastLine + 1) : info.lines;
    throw invalid([{ where: line === undefined ? '' : `row ${line}`, field: '', message: csvReason(error) }]);
  }
  return rows
    .map((cells, index) => ({ cells, line: startLines[index] ?? 0 }))
    .filter((record) => record.cells.some((cell) => cell.trim() !== ''));
}

function firstContentLine(text: string, from: number): number {
  const lines = text.split('\n');
  for (let line = from; line <= lines.length; line++) {
    if ((lines[line - 1] ?? '').trim() !== '') return line;
  }
  return from;
}

function csvReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell that starts on this row is never closed (a missing ")';
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const counts = /expect (\d+), got (\d+)/.exec(error.message);
      return counts
        ? `expected ${counts[1]} cells like the header, got ${counts[2]}`
        : 'the row has a different number of cells than the header';
    }
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return `a stray quote: quote the whole cell and double any " inside it (${error.message.split(':')[0]})`;
    default:
      return `not valid CSV: ${error.message}`;
  }
}
