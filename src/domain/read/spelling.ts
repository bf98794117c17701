/**
 * One spelling per place and industry. Apollo writes `banking` and `Banking`, `United States` and
 * `united states`: those compare case-insensitively and show the most frequent spelling (the first
 * seen on a tie). Countries go through the country dataset first (countries.ts), so `USA` joins
 * `United States`.
 */
import { canonicalCountry } from './countries.js';

/** Case-insensitive key for grouping spellings (accents are kept: `Zürich` is not `Zurich`). */
export const spellingKey = (value: string): string => value.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * For a list of values (with repeats), the spelling each value is shown as: the most frequent spelling
 * of its case-insensitive group (`canonical` applied first when it knows the value).
 */
export function spellingTable(
  counts: ReadonlyMap<string, number>,
  canonical?: (value: string) => string | undefined,
): Map<string, string> {
  const groups = new Map<string, { best: string; bestCount: number; counts: Map<string, number> }>();
  const keyOf = new Map<string, [string, string]>();
  for (const [value, count] of counts) {
    const shown = canonical?.(value) ?? value.trim().replace(/\s+/g, ' ');
    const key = canonical?.(value) !== undefined ? `\u0000${shown}` : spellingKey(value);
    keyOf.set(value, [key, shown]);
    let group = groups.get(key);
    if (!group) {
      group = { best: shown, bestCount: 0, counts: new Map() };
      groups.set(key, group);
    }
    const total = (group.counts.get(shown) ?? 0) + count;
    group.counts.set(shown, total);
    if (total > group.bestCount) {
      group.best = shown;
      group.bestCount = total;
    }
  }
  const out = new Map<string, string>();
  for (const [value, [key]] of keyOf) out.set(value, groups.get(key)?.best ?? value);
  return out;
}

type Unifiable = 'industry' | 'state' | 'city' | 'country';

/**
 * The companies with one spelling per industry, state, city and country (new objects only where a value
 * changes). Linear: one count per company and field, then a table over the distinct spellings.
 */
export function unifySpellings<T extends Partial<Record<Unifiable, string>>>(companies: T[]): T[] {
  const fields: Array<[Unifiable, ((v: string) => string | undefined) | undefined]> = [
    ['industry', undefined],
    ['state', undefined],
    ['city', undefined],
    ['country', canonicalCountry],
  ];
  const tables: Array<[Unifiable, Map<string, string>]> = [];
  for (const [field, canonical] of fields) {
    const counts = new Map<string, number>();
    for (const company of companies) {
      const value = company[field];
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const table = spellingTable(counts, canonical);
    let changes = false;
    for (const [from, to] of table) {
      if (from !== to) changes = true;
      else table.delete(from);
    }
    if (changes) tables.push([field, table]);
  }
  if (tables.length === 0) return companies;
  return companies.map((company) => {
    let out: T | undefined;
    for (const [field, table] of tables) {
      const value = company[field];
      const to = value === undefined ? undefined : table.get(value);
      if (to !== undefined) {
        out ??= { ...company };
        out[field] = to as T[Unifiable];
      }
    }
    return out ?? company;
  });
}
