/**
 * The rows of an export as company records: one text per field, ready for the run validator.
 *
 * - The name is `Company`/`Company Name`, or `Company Name for Emails` when that cell is blank.
 * - No value: blank, whitespace, `""` and the text `null` all become '' (absent).
 * - In a `;`-separated file (Excel in a decimal-comma locale) numbers are read with a decimal comma:
 *   `88,5` is 88.5 and `1.200` is 1200. In other files a comma is a thousands separator (`1,200`).
 */
import { type ColumnField, isNoValue, type ResolvedColumns, resolveColumns } from './columns.js';
import type { CsvRow, CsvTable, Delimiter } from './csv-table.js';
import type { ReadWarning } from './warnings.js';

/** The fields a company record carries (the validator's names). */
export const RECORD_FIELDS = [
  'name',
  'domain',
  'industry',
  'employees',
  'country',
  'state',
  'city',
  'icp_score',
  'tier',
  'campaign',
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

export interface CompanyRecord {
  /** Field -> the cell as written ('' when it holds no value); only fields with a column. */
  cells: Partial<Record<RecordField, string>>;
  row: number;
  accountId?: string;
}

export interface CompanyRecords {
  kind: ResolvedColumns['kind'];
  delimiter: Delimiter;
  records: CompanyRecord[];
  /** Field -> the header as written (for the name: the name column's, or the e-mail name's when alone). */
  headerOf: Map<RecordField, string>;
  /** The fields the file has a column for. */
  fields: RecordField[];
  warnings: ReadWarning[];
}

const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const DOT_GROUPED = /^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/;

/** "88,5" -> "88.5", "1.200" -> "1200", "1.200,5" -> "1200.5"; anything else unchanged. */
export function fromDecimalComma(cell: string): string {
  const t = cell.trim();
  if (DECIMAL_COMMA.test(t)) return t.replace(',', '.');
  if (DOT_GROUPED.test(t)) return t.replaceAll('.', '').replace(',', '.');
  return cell;
}

const NUMERIC: ReadonlySet<RecordField> = new Set(['employees', 'icp_score']);

/** Undefined when the header has no company name column at all. */
export function companyRecordsOf(table: CsvTable): CompanyRecords | undefined {
  const resolved = resolveColumns(table.header.cells, table.rows);
  const { columns } = resolved;
  const nameColumn = columns.get('name');
  const emailNameColumn = columns.get('name_for_emails');
  if (nameColumn === undefined && emailNameColumn === undefined) return undefined;
  const fields = RECORD_FIELDS.filter((f) => f === 'name' || columns.has(f as ColumnField));
  const readers = fields
    .filter((f) => f !== 'name')
    .map((f) => [f, columns.get(f as ColumnField) as number, NUMERIC.has(f)] as const);
  const decimalComma = table.delimiter === ';';
  const accountColumn = columns.get('account_id');
  let converted = 0;
  const cellAt = (row: CsvRow, index: number | undefined): string => {
    if (index === undefined) return '';
    const cell = row.cells[index] ?? '';
    return isNoValue(cell) ? '' : cell;
  };
  const records: CompanyRecord[] = table.rows.map((row) => {
    const cells: Partial<Record<RecordField, string>> = {};
    const name = cellAt(row, nameColumn);
    cells.name = name !== '' ? name : cellAt(row, emailNameColumn);
    for (const [field, index, numeric] of readers) {
      let cell = cellAt(row, index);
      if (numeric && decimalComma && cell !== '') {
        const number = fromDecimalComma(cell);
        if (number !== cell) converted++;
        cell = number;
      }
      cells[field] = cell;
    }
    const record: CompanyRecord = { cells, row: row.row };
    const accountId = cellAt(row, accountColumn).trim();
    if (accountId !== '') record.accountId = accountId;
    return record;
  });
  const headerOf = new Map<RecordField, string>();
  for (const field of fields) {
    const header = resolved.headerOf.get(
      field === 'name' && nameColumn === undefined ? 'name_for_emails' : field,
    );
    if (header !== undefined) headerOf.set(field, header);
  }
  const warnings = [...resolved.warnings];
  if (converted > 0) {
    warnings.push({
      code: 'decimal_comma',
      message: `The file is separated by semicolons, so numbers were read with a decimal comma (88,5 is 88.5 and 1.200 is 1200): ${converted} ${converted === 1 ? 'number' : 'numbers'}.`,
    });
  }
  return { kind: resolved.kind, delimiter: table.delimiter, records, headerOf, fields, warnings };
}
