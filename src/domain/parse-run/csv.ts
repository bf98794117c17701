/** Reading an Apollo CSV export: column aliases, records, the fast path, and the schema. */

import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import type { FieldProblem } from '../../errors.js';
import type { Company, Run } from '../model.js';
import { assembleRun, readRunHead } from './fast.js';
import { Invalid, nonBlank } from './fields.js';
import type { CanonicalKey } from './json.js';
import { type ParseLimits, type RunUploadInput, tooManyCompanies } from './limits.js';
import { invalid, toProblems } from './problems.js';
import { COMPANY_FIELDS, type Converter, runSchema, toRun } from './schema.js';

// ---------------------------------------------------------------------------------------------------
// CSV

/** Header names per field, most preferred first; the first one present in the file is used. */
export const CSV_COLUMNS: ReadonlyArray<readonly [CanonicalKey, readonly string[]]> = [
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

export interface CsvRecord {
  cells: string[];
  /** Line where the record starts, as an editor numbers it. */
  line: number;
}

export const normaliseHeader = (header: string): string => header.trim().toLowerCase().replace(/\s+/g, ' ');

export function parseCsvRun(input: RunUploadInput, limits: ParseLimits, fastPath: boolean): Run {
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

export function readCsvRunFast(
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
export function readCsvRecords(text: string): CsvRecord[] {
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

export function firstContentLine(text: string, from: number): number {
  const lines = text.split('\n');
  for (let line = from; line <= lines.length; line++) {
    if ((lines[line - 1] ?? '').trim() !== '') return line;
  }
  return from;
}

export function csvReason(error: CsvError): string {
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
