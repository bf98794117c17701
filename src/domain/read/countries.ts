/**
 * Countries as one canonical name, whatever the case or common alias: `US`, `USA`, `U.S.`,
 * `United States` and `united states` are one country. Names, aliases and ISO codes come from the
 * maintained `i18n-iso-countries` dataset (MIT; its English names ship inside the package, no network);
 * this file adds only what the dataset leaves out and one display preference.
 *
 * A value the dataset does not know is kept, and grouped with its other spellings case-insensitively
 * (see spelling.ts).
 */
import codes from 'i18n-iso-countries/codes.json' with { type: 'json' };
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

/** Parts of a country, or older names, that people write in the country column. */
const EXTRA_ALIASES: ReadonlyArray<readonly [string, string]> = [
  ['england', 'GB'],
  ['scotland', 'GB'],
  ['wales', 'GB'],
  ['northern ireland', 'GB'],
  ['holland', 'NL'],
  ['korea', 'KR'],
];

/** The dataset names the USA "United States of America"; Apollo and this app have always said "United States". */
const DISPLAY: Readonly<Record<string, string>> = { US: 'United States' };

const NON_ASCII = /[\u0080-\uffff]/;

/** Lower case, no accents or dots, one space between words, no leading "the". */
export function countryKey(name: string): string {
  // Accents are taken off only when there are any: most names are plain ASCII.
  const plain = NON_ASCII.test(name)
    ? name
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[’‘`´]/g, "'")
    : name;
  return plain
    .toLowerCase()
    .replace(/\./g, '')
    .replace(/[\s_]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

const codeOf = new Map<string, string>();
const displayOf = new Map<string, string>();

for (const [code, names] of Object.entries(english.countries as Record<string, string | string[]>)) {
  const list = Array.isArray(names) ? names : [names];
  displayOf.set(code, DISPLAY[code] ?? (list[0] as string));
  for (const name of list) if (!codeOf.has(countryKey(name))) codeOf.set(countryKey(name), code);
}
for (const [alpha2, alpha3] of codes as ReadonlyArray<readonly string[]>) {
  if (alpha2 === undefined || alpha3 === undefined || !displayOf.has(alpha2)) continue;
  if (!codeOf.has(alpha2.toLowerCase())) codeOf.set(alpha2.toLowerCase(), alpha2);
  if (!codeOf.has(alpha3.toLowerCase())) codeOf.set(alpha3.toLowerCase(), alpha2);
}
for (const [alias, code] of EXTRA_ALIASES) if (!codeOf.has(alias)) codeOf.set(alias, code);

/** Recent answers, as the same few names come back in every run's table (bounded). */
const cache = new Map<string, string | null>();
const CACHE_SIZE = 2000;

/** The canonical name of a country, or undefined when the dataset does not know it. */
export function canonicalCountry(name: string): string | undefined {
  const hit = cache.get(name);
  if (hit !== undefined) return hit ?? undefined;
  const code = codeOf.get(countryKey(name));
  const shown = code === undefined ? undefined : displayOf.get(code);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(name, shown ?? null);
  return shown;
}
