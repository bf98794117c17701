/**
 * One spelling per group. Apollo writes `banking` and `Banking`, `United States` and `united states`:
 * those compare case-insensitively and show the most frequent spelling (the first seen on a tie).
 * Countries go through the country dataset first (countries.ts), so `USA` joins `United States`.
 * Used where groups are built (aggregate.ts): per run, and again across the runs of a period.
 */

/** Leading, trailing or repeated whitespace, or whitespace other than a space: worth a clean-up. */
const MESSY_SPACE = /^\s|\s$|\s\s|[\t\n\r\f\v\u00a0]/;

/** The value with runs of whitespace as one space and none at the ends (most values are clean already). */
const tidy = (value: string): string => (MESSY_SPACE.test(value) ? value.trim().replace(/\s+/g, ' ') : value);

/** Case-insensitive key for grouping spellings (accents are kept: `Zürich` is not `Zurich`). */
export const spellingKey = (value: string): string => tidy(value).toLowerCase();

interface Group {
  best: string;
  bestCount: number;
  /** Totals of the other spellings, made only when a group has more than one (rare). */
  others?: Map<string, number>;
}

/**
 * For a table of values with their counts, the spelling each value is shown as: the most frequent
 * spelling of its case-insensitive group (`canonical` applied first when it knows the value). Linear in
 * the number of values, with no allocation per group unless it has several spellings.
 */
export function spellingTable(
  counts: ReadonlyMap<string, number>,
  canonical?: (value: string) => string | undefined,
): Map<string, string> {
  const groups = new Map<string, Group>();
  const keyOf = new Map<string, string>();
  for (const [value, count] of counts) {
    const known = canonical?.(value);
    const shown = known ?? tidy(value);
    const key = known !== undefined ? `\u0000${known}` : shown.toLowerCase();
    keyOf.set(value, key);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { best: shown, bestCount: count });
    } else if (group.best === shown) {
      group.bestCount += count;
    } else {
      group.others ??= new Map();
      const total = (group.others.get(shown) ?? 0) + count;
      group.others.set(shown, total);
      if (total > group.bestCount) {
        group.others.delete(shown);
        group.others.set(group.best, group.bestCount);
        group.best = shown;
        group.bestCount = total;
      }
    }
  }
  const out = new Map<string, string>();
  for (const [value, key] of keyOf) out.set(value, groups.get(key)?.best ?? value);
  return out;
}
