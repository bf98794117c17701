/**
 * Which column of an export holds which field. Headers are compared case-insensitively, with runs of
 * spaces and underscores as one space, against exact aliases only (so Apollo's `Primary Intent Score`
 * is never read as the ICP score).
 *
 * - Name, place and domain columns have a preference order with different meanings (`Company Country`
 *   is the company's, `Country` a contact's): the first present wins, silently. In a People export
 *   the contact's own `City`/`State`/`Country` are never used for the company.
 * - Score and tier columns are aliases of one another (`ICP Score`, `ICP Fit Score`, `Score` …): when
 *   two are present, the one with values is used (the most filled; the first on a tie) and a warning
 *   names both, with their column letters.
 */
import type { CsvRow } from './csv-table.js';
import type { ReadWarning } from './warnings.js';

export type ColumnField =
  | 'name'
  | 'name_for_emails'
  | 'domain'
  | 'industry'
  | 'employees'
  | 'city'
  | 'state'
  | 'country'
  | 'icp_score'
  | 'tier'
  | 'campaign'
  | 'account_id';

export const normaliseHeader = (header: string): string =>
  header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');

/** Preference-ordered headers: the first one present is used. */
const PREFERRED: ReadonlyArray<readonly [ColumnField, readonly string[]]> = [
  ['name', ['company', 'company name', 'name', 'organization name', 'account name']],
  ['name_for_emails', ['company name for emails']],
  ['domain', ['website', 'domain', 'company domain', 'company website', 'primary domain', 'website url']],
  ['industry', ['industry']],
  ['employees', ['# employees', 'employees', 'number of employees', 'estimated num employees']],
  ['city', ['company city', 'city']],
  ['state', ['company state', 'state']],
  ['country', ['company country', 'country']],
  ['campaign', ['campaign']],
  ['account_id', ['apollo account id', 'account id', 'apollo record id', 'organization id']],
];

/** Aliases of one field: any of them may be present; two present is a conflict settled by the values. */
export const SCORE_HEADERS: readonly string[] = ['icp score', 'icp fit score', 'fit score', 'score'];
export const TIER_HEADERS: readonly string[] = ['tier', 'icp tier', 'fit tier', 'icp fit tier'];

/** Contact columns that only a People/Contacts export has. */
const CONTACT_HEADERS = [
  'apollo contact id',
  'first name',
  'last name',
  'email',
  'title',
  'person linkedin url',
];
const CONTACT_ONLY_PLACES = new Set(['city', 'state', 'country']);

export interface ResolvedColumns {
  /** Field -> column index. */
  columns: Map<ColumnField, number>;
  /** The header as written, for messages. */
  headerOf: Map<ColumnField, string>;
  kind: 'companies' | 'people';
  warnings: ReadWarning[];
}

/** "A", "B", … "Z", "AA": the column letter a spreadsheet shows. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function filled(rows: readonly CsvRow[], index: number): number {
  let count = 0;
  for (const row of rows) {
    const cell = row.cells[index];
    if (cell !== undefined && !isNoValue(cell)) count++;
  }
  return count;
}

/** A blank cell, whitespace, or the text `null` (as Apollo writes some empty fields): no value. */
export function isNoValue(cell: string): boolean {
  const t = cell.trim();
  return t === '' || t.toLowerCase() === 'null';
}

function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

export function resolveColumns(header: readonly string[], rows: readonly CsvRow[]): ResolvedColumns {
  const normalised = header.map(normaliseHeader);
  const contactColumns = CONTACT_HEADERS.filter((h) => normalised.includes(h));
  const kind: ResolvedColumns['kind'] =
    contactColumns.includes('apollo contact id') || contactColumns.length >= 2 ? 'people' : 'companies';
  const columns = new Map<ColumnField, number>();
  const headerOf = new Map<ColumnField, string>();
  const warnings: ReadWarning[] = [];
  const use = (field: ColumnField, index: number) => {
    columns.set(field, index);
    headerOf.set(field, (header[index] ?? field).trim());
  };
  for (const [field, names] of PREFERRED) {
    const candidates = kind === 'people' && CONTACT_ONLY_PLACES.has(field) ? names.slice(0, 1) : names;
    for (const name of candidates) {
      const index = normalised.indexOf(name);
      if (index >= 0) {
        use(field, index);
        break;
      }
    }
  }
  for (const [field, names] of [
    ['icp_score', SCORE_HEADERS],
    ['tier', TIER_HEADERS],
  ] as const) {
    const present: number[] = [];
    normalised.forEach((h, index) => {
      if (names.includes(h)) present.push(index);
    });
    if (present.length === 0) continue;
    let best = present[0] as number;
    if (present.length > 1) {
      let bestFilled = filled(rows, best);
      for (const index of present.slice(1)) {
        const f = filled(rows, index);
        if (f > bestFilled) {
          best = index;
          bestFilled = f;
        }
      }
      const described = present
        .map(
          (index) =>
            `"${(header[index] ?? '').trim()}" (${ordinal(index + 1)} column, ${columnLetter(index)})`,
        )
        .join(' and ');
      warnings.push({
        code: 'duplicate_column',
        message: `Columns ${described} both hold the ${field === 'icp_score' ? 'ICP score' : 'tier'}; column ${columnLetter(best)}, the one with values (${bestFilled} of ${rows.length} rows), was used.`,
      });
    }
    use(field, best);
  }
  return { columns, headerOf, kind, warnings };
}
