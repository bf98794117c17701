/** Field converters: each takes an unknown value and says what it is or what was expected. */
import { fastIsoInstant } from '../iso-instant.js';
import { CAMPAIGNS, type Campaign, TIERS, type Tier } from '../model.js';

// ---------------------------------------------------------------------------------------------------
// Field converters: each takes an unknown value and says what it is or what was expected.

/** Why a value was refused. A converter returns the value itself when it is fine, so success allocates nothing. */
export class Invalid {
  constructor(readonly message: string) {}
}

export type Converted<T> = T | Invalid;

export const ok = <T>(value: T): Converted<T> => value;
export const fail = (message: string): Converted<never> => new Invalid(message);
export const expectedGot = (expected: string, value: unknown): string =>
  `expected ${expected}, got ${describe(value)}`;

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names become keys of per-industry/country/endpoint tables: this one would be JavaScript's prototype. */
export const RESERVED_NAME = '__proto__';

/** Longest name, industry, place or endpoint, and longest run label. */
export const MAX_TEXT_CHARS = 1_000;
export const MAX_LABEL_CHARS = 200;

export function text(value: string, max = MAX_TEXT_CHARS): Converted<string> {
  const trimmed = value.trim();
  if (trimmed.length > max) {
    return fail(
      `expected at most ${max.toLocaleString('en-US')} characters, got ${trimmed.length.toLocaleString('en-US')}`,
    );
  }
  return trimmed === RESERVED_NAME
    ? fail('`__proto__` is reserved and cannot be used as a name')
    : ok(trimmed);
}

export function optionalText(value: unknown): Converted<string | undefined> {
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string') return text(value);
  return fail(expectedGot('text', value));
}

export function optionalLabel(value: unknown): Converted<string | undefined> {
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string') return text(value, MAX_LABEL_CHARS);
  return fail(expectedGot('text', value));
}

export function requiredText(value: unknown): Converted<string> {
  if (isBlank(value)) return fail('required');
  if (typeof value === 'string') return text(value);
  return fail(expectedGot('text', value));
}

export interface NumberSpec {
  /** What a person should have written, e.g. "a number from 0 to 100". */
  expected: string;
  min?: number;
  max?: number;
  integer?: boolean;
  /** Accept "1,200" (strict groups of three). */
  thousands?: boolean;
}

export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
export const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

export function readNumber(value: unknown, spec: NumberSpec): Converted<number | undefined> {
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
  // The value as written ("1.200", not 1.2): a person looks for it in the file.
  return inRange
    ? ok(n)
    : fail(`expected ${spec.expected}, got ${typeof value === 'string' ? value.trim() : describe(n)}`);
}

export const optionalNumber =
  (spec: NumberSpec) =>
  (value: unknown): Converted<number | undefined> =>
    readNumber(value, spec);

export const requiredNumber =
  (spec: NumberSpec) =>
  (value: unknown): Converted<number> => {
    const result = readNumber(value, spec);
    if (result instanceof Invalid) return result;
    return result === undefined ? fail('required') : result;
  };

export const numberOrDefault =
  (spec: NumberSpec, fallback: number) =>
  (value: unknown): Converted<number> => {
    const result = readNumber(value, spec);
    return result instanceof Invalid ? result : (result ?? fallback);
  };

export const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
export const ISO_EXPECTED = 'an ISO-8601 date such as 2026-11-02 or 2026-11-02T09:30:00Z';

/** Built by hand rather than with `Date.parse`, so an offset-less time is UTC on every machine. */
export function isoInstant(text: string): string | undefined {
  // The plain forms (what pipelines usually send is already canonical) are read by hand, without a regex or Date.
  return fastIsoInstant(text) ?? generalIsoInstant(text);
}

/** Every form `ISO_DATE_TIME` accepts, through a regex and `Date`: the reference the hand-written reader agrees with. */
export function generalIsoInstant(text: string): string | undefined {
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

export function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function requiredInstant(value: unknown): Converted<string> {
  if (isBlank(value)) return fail('required');
  const instant = typeof value === 'string' ? isoInstant(value) : undefined;
  return instant === undefined ? fail(expectedGot(ISO_EXPECTED, value)) : ok(instant);
}

export const RUN_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function optionalRunId(value: unknown): Converted<string | undefined> {
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string' && RUN_ID.test(value.trim())) return ok(value.trim());
  return fail(expectedGot('1 to 100 letters, digits or . _ : -', value));
}

export const TIER_KEYS = new Map<string, Tier>([
  ['1', 'Tier 1'],
  ['2', 'Tier 2'],
  ['3', 'Tier 3'],
  ['tier1', 'Tier 1'],
  ['tier2', 'Tier 2'],
  ['tier3', 'Tier 3'],
  ['unqualified', 'Unqualified'],
]);

export const EXACT_TIERS: ReadonlySet<unknown> = new Set(TIERS);

export function tierOf(value: unknown): Converted<Tier> {
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

export const CAMPAIGN_KEYS = new Map<string, Campaign>([
  ['email', 'Email'],
  ['linkedin', 'LinkedIn'],
  ['content', 'Content'],
]);

export const EXACT_CAMPAIGNS: ReadonlySet<unknown> = new Set(CAMPAIGNS);

export function campaignOf(value: unknown): Converted<Campaign | undefined> {
  if (EXACT_CAMPAIGNS.has(value)) return value as Campaign;
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string') {
    const campaign = CAMPAIGN_KEYS.get(value.toLowerCase().replace(/\s+/g, ''));
    if (campaign) return ok(campaign);
  }
  return fail(expectedGot('one of Email, LinkedIn, Content', value));
}

/** Already a bare lower-case host (no scheme, path, port, user, `www.` or trailing dot): nothing to change. */
export const BARE_HOST = /^(?!www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/** "https://www.Example.com/about?x=1" -> "example.com". */
export function normaliseDomain(raw: string): string {
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

/** A website as written may carry a path; the host itself is at most 253 characters (DNS). */
export const MAX_URL_CHARS = 2_048;
export const MAX_DOMAIN_CHARS = 253;

export function domainOf(value: unknown): Converted<string | undefined> {
  if (isBlank(value)) return ok(undefined);
  if (typeof value === 'string' && value.length <= MAX_URL_CHARS) {
    const domain = normaliseDomain(value);
    if (domain && domain.length <= MAX_DOMAIN_CHARS && !/\s/.test(domain)) return ok(domain);
  }
  return fail(expectedGot('a domain or website such as example.com', value));
}

export function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
