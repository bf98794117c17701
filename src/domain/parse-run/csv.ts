/**
 * Reading an Apollo CSV export: the table (separator, quoting, spreadsheet rows; see read/csv-table.ts),
 * the columns (aliases; read/columns.ts), records (read/csv-companies.ts), then the fast path or the
 * schema, and for a People export one company per account (read/people.ts).
 */

import type { FieldProblem } from '../../errors.js';
import type { Company, Run } from '../model.js';
import { type CompanyRecord, type CompanyRecords, companyRecordsOf } from '../read/csv-companies.js';
import { readCsvTable } from '../read/csv-table.js';
import { mergeContactRows } from '../read/people.js';
import type { ReadWarning } from '../read/warnings.js';
import { assembleRun, readRunHead } from './fast.js';
import { Invalid, nonBlank } from './fields.js';
import { type ParseLimits, type RunUploadInput, tooManyCompanies } from './limits.js';
import { invalid, toProblems } from './problems.js';
import type { FormatReading } from './reading.js';
import { COMPANY_FIELDS, type Converter, runSchema, toRun } from './schema.js';

export function parseCsvRun(input: RunUploadInput, limits: ParseLimits, fastPath: boolean): FormatReading {
  const table = readCsvTable(input.text);
  const startedAt = nonBlank(input.started_at) ?? nonBlank(input.default_started_at);
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
  if (table === undefined) {
    throw invalid([
      { where: '', field: '', message: 'the file is empty: expected a header row, then one row per company' },
      ...startedAtProblems,
    ]);
  }
  const records = companyRecordsOf(table);
  if (records === undefined) {
    throw invalid([
      {
        where: 'row 1',
        field: '',
        message:
          'no company name column: expected a column named Company, Company Name, Name or Company Name for Emails',
      },
      ...startedAtProblems,
    ]);
  }
  if (records.kind === 'companies' && records.records.length > limits.maxCompanies) {
    throw tooManyCompanies(records.records.length, limits);
  }

  const read =
    (fastPath ? readCsvRunFast(input, startedAt, records) : undefined) ??
    readCsvRunSchema(input, startedAt, startedAtProblems, records);
  const warnings: ReadWarning[] = [...records.warnings];
  const scoreField = records.headerOf.get('icp_score') ?? 'ICP Score';
  if (records.kind === 'people') {
    const merged = mergeContactRows(
      records.records.map((record, index) => ({
        company: read.companies[index] as Company,
        row: record.row,
        ...(record.accountId === undefined ? {} : { accountId: record.accountId }),
      })),
    );
    if (merged.companies.length > limits.maxCompanies)
      throw tooManyCompanies(merged.companies.length, limits);
    warnings.push(...merged.warnings);
    const names = merged.companies.map((c) => c.name);
    return {
      run: { ...read, companies: merged.companies },
      warnings,
      contactRows: records.records.length,
      where: (index) => `company ${JSON.stringify(names[index] ?? '?')}`,
      scoreField,
      noScoring: noScoringHint(records),
    };
  }
  return {
    run: read,
    warnings,
    where: (index) => `row ${records.records[index]?.row ?? '?'}`,
    scoreField,
    noScoring: noScoringHint(records),
  };
}

/** What to tell a person whose upload has no score and no tier at all. */
function noScoringHint(records: CompanyRecords): string {
  const hasColumns = records.fields.includes('icp_score') || records.fields.includes('tier');
  return hasColumns
    ? 'the ICP score and tier columns are empty'
    : 'the file has no ICP score or tier column (ICP Score, ICP Fit Score, Fit Score or Score; Tier, ICP Tier or Fit Tier)';
}

function readCsvRunSchema(
  input: RunUploadInput,
  startedAt: string | undefined,
  startedAtProblems: FieldProblem[],
  records: CompanyRecords,
): Run {
  const result = runSchema.safeParse({
    run_id: input.run_id,
    started_at: startedAt,
    label: input.label,
    companies: records.records.map((record) => record.cells),
  });
  if (!result.success) {
    // started_at has its own CSV-specific message; every other problem comes from the schema.
    const issues = result.error.issues.filter(
      (issue) => !(startedAt === undefined && issue.path[0] === 'started_at'),
    );
    throw invalid([
      ...startedAtProblems,
      ...toProblems(issues, {
        where: (index) => `row ${records.records[index]?.row ?? '?'}`,
        field: (_index, key) => records.headerOf.get(key as never) ?? key,
      }),
    ]);
  }
  return toRun(result.data, input.text);
}

export function readCsvRunFast(
  input: RunUploadInput,
  startedAt: string | undefined,
  records: CompanyRecords,
): Run | undefined {
  const head = readRunHead({ run_id: input.run_id, started_at: startedAt, label: input.label });
  if (!head) return undefined;
  const present = new Set<string>(records.fields);
  // Every field in the schema's order; a field without a column is absent.
  const readers = Object.entries(COMPANY_FIELDS).map(
    ([canonical, convert]) =>
      [canonical as keyof CompanyRecord['cells'], present.has(canonical), convert as Converter] as const,
  );
  const companies: Company[] = [];
  for (const record of records.records) {
    const out: Record<string, unknown> = {};
    for (const [canonical, has, convert] of readers) {
      const result = convert(has ? (record.cells[canonical] ?? '') : undefined);
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
