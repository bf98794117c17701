/** Reading a JSON run: key aliases, the fast path, the schema, and where a syntax error is. */
import type { z } from 'zod';
import type { Company, Run } from '../model.js';
import { COMPANY_JSON_KEYS, companyOfApolloItem, normaliseApolloJson } from '../read/apollo-json.js';
import { parseScoreScale, type ScoreScale } from '../read/score-scale.js';
import { assembleRun, readRunExtras, readRunHead } from './fast.js';
import { Invalid, isBlank, isRecord, nonBlank } from './fields.js';
import { type ParseLimits, type RunUploadInput, tooManyCompanies } from './limits.js';
import { invalid, toProblems } from './problems.js';
import type { FormatReading } from './reading.js';
import type { companySchema, validateRun } from './schema.js';
import { COMPANY_FIELDS, type Converter } from './tables.js';

// ---------------------------------------------------------------------------------------------------
// JSON

export type CanonicalKey = keyof z.input<typeof companySchema> & string;

export const JSON_ALIASES: ReadonlyArray<readonly [CanonicalKey, readonly string[]]> = COMPANY_JSON_KEYS;

export interface Aliased {
  value: unknown;
  /** canonical key -> the key the value came from */
  sources: Partial<Record<string, string>>;
}

export function aliasCompany(raw: unknown): Aliased {
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
export const JSON_COMPANY_READERS = JSON_ALIASES.map(
  ([canonical, keys]) => [canonical, keys, COMPANY_FIELDS[canonical] as Converter] as const,
);

/** A company read through its aliases (the first non-blank one), or undefined when a field is invalid. */
export function readJsonCompany(raw: unknown): Company | undefined {
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

export function readJsonRunFast(body: Record<string, unknown>, input: RunUploadInput): Run | undefined {
  const head = readRunHead({
    run_id: nonBlank(input.run_id) ?? body.run_id,
    started_at: startedAtOf(body, input),
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

/** The request's started_at, else the body's, else the default (the form's date, a file's mtime). */
function startedAtOf(body: Record<string, unknown>, input: RunUploadInput): unknown {
  const own = nonBlank(input.started_at) ?? body.started_at;
  return own === undefined || own === null || own === '' ? nonBlank(input.default_started_at) : own;
}

/** Every lower-case key a company may carry (aliases included). */
const KNOWN_KEYS = new Set(JSON_ALIASES.flatMap(([, keys]) => keys));

/**
 * Keys in another case (`ICP_Score`, `Name`) are read too. Checking a sample keeps the common case (every
 * key already lower case) free: the first companies are looked at, and only when one has such a key are
 * all companies read through their lower-cased keys.
 */
function hasOtherCaseKeys(companies: readonly unknown[]): boolean {
  const sample = Math.min(companies.length, 20);
  for (let i = 0; i < sample; i++) {
    const c = companies[i];
    if (!isRecord(c)) continue;
    for (const key of Object.keys(c)) {
      const lower = key.toLowerCase();
      if (lower !== key && KNOWN_KEYS.has(lower)) return true;
    }
  }
  return false;
}

const APOLLO_SHAPES_HINT =
  'expected a run ({ "started_at": …, "companies": [ … ] }) or one of Apollo\'s answers (a search page with organizations and accounts, saved accounts, an enrich answer with organization, a bulk answer with organizations or matches, or a list of organizations)';

/**
 * `validate` is schema.ts's `validateRun` (the zod schema), passed in so that this file and the fast
 * path load no zod: a reader that can wait may pass one that loads it (parse-run/lazy.ts).
 */
export function parseJsonRun(
  input: RunUploadInput,
  limits: ParseLimits,
  fastPath: boolean,
  validate: typeof validateRun,
): FormatReading {
  const parsed = parseJsonText(input.text);
  const normalised = normaliseApolloJson(parsed);
  if (normalised.shape === undefined) {
    const keys = isRecord(parsed) ? Object.keys(parsed).slice(0, 8) : [];
    throw invalid([
      {
        where: '',
        field: '',
        message: `${APOLLO_SHAPES_HINT}; found ${isRecord(parsed) ? (keys.length ? `an object with ${keys.join(', ')}` : 'an empty object') : Array.isArray(parsed) ? 'a list' : describeJson(parsed)}`,
      },
    ]);
  }
  let body = normalised.body;
  if (isRecord(body) && Array.isArray(body.companies)) {
    if (body.companies.length > limits.maxCompanies) throw tooManyCompanies(body.companies.length, limits);
    if (normalised.shape === 'run' && hasOtherCaseKeys(body.companies)) {
      body = { ...body, companies: body.companies.map(companyOfApolloItem) };
    }
  }
  const stated = isRecord(body) ? statedScaleOf(body) : undefined;
  const reading = (run: Run): FormatReading => ({
    run,
    warnings: normalised.warnings,
    ...(normalised.people === undefined ? {} : { contactRows: normalised.people }),
    where: (index) => `companies[${index}]`,
    scoreField: 'icp_score',
    ...(stated ? { statedScale: stated } : {}),
    noScoring: 'no icp_score, score or fit_score key and no tier, icp_tier or fit_tier key has a value',
  });
  const fast = fastPath && isRecord(body) ? readJsonRunFast(body, input) : undefined;
  if (fast) return reading(fast);
  const aliased = isRecord(body) && Array.isArray(body.companies) ? body.companies.map(aliasCompany) : [];
  const startedAt = isRecord(body) ? startedAtOf(body, input) : undefined;
  const merged = isRecord(body)
    ? {
        ...body,
        run_id: nonBlank(input.run_id) ?? body.run_id,
        started_at: startedAt,
        label: nonBlank(input.label) ?? body.label,
        companies: Array.isArray(body.companies) ? aliased.map((a) => a.value) : body.companies,
      }
    : body;
  const result = validate(merged, input.text);
  if (!result.success) {
    const problems = toProblems(result.issues, {
      where: (index) => `companies[${index}]`,
      field: (index, key) => aliased[index]?.sources[key] ?? key,
    });
    if (normalised.shape !== 'run' && (startedAt === undefined || startedAt === null)) {
      for (const problem of problems) {
        if (problem.where === '' && problem.field === 'started_at') problem.message = APOLLO_NO_DATE;
      }
    }
    throw invalid(problems);
  }
  return reading(result.run);
}

const APOLLO_NO_DATE =
  "required: Apollo's answers carry no run date; give started_at (the ingest API's query parameter, the form's run date, or --started-at)";

function statedScaleOf(body: Record<string, unknown>): ScoreScale | undefined {
  const raw = body.score_scale;
  if (raw === undefined || raw === null) return undefined;
  const scale = parseScoreScale(String(raw));
  if (scale === undefined) {
    throw invalid([
      { where: '', field: 'score_scale', message: `expected "0-100" or "0-1", got ${JSON.stringify(raw)}` },
    ]);
  }
  return scale;
}

function describeJson(value: unknown): string {
  return value === null ? 'null' : typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

export function parseJsonText(text: string): unknown {
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

export function jsonReason(message: string): string {
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

export function lineAndColumn(text: string, offset: number): string {
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
export function findJsonErrorOffset(text: string): number | undefined {
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
export function scanJsonString(text: string, start: number): number {
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

export const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function scanJsonScalar(text: string, start: number): number {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  JSON_NUMBER.lastIndex = start;
  const match = JSON_NUMBER.exec(text);
  return match ? start + match[0].length : -(start + 1);
}
