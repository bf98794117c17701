import { describe, expect, it } from 'vitest';
import { resolveColumns } from '../../../src/domain/read/columns.js';
import { readCsvTable } from '../../../src/domain/read/csv-table.js';
import { decodeUpload } from '../../../src/domain/read/decode.js';
import { isAppError } from '../../../src/errors.js';
import { fixtureBytes } from './fixture.js';

const table = (name: string) => {
  const t = readCsvTable(decodeUpload(fixtureBytes(name)).text);
  if (!t) throw new Error('empty');
  return t;
};

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isAppError(error, 'upload_invalid')) return error.problems;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readCsvTable', () => {
  it('numbers rows as a spreadsheet does, whatever the text lines (EXPECTED.md, modern export)', () => {
    const t = table('companies-export-modern.csv');
    expect(t.delimiter).toBe(',');
    expect(t.header.cells).toHaveLength(42);
    expect(t.header.cells[0]).toBe('Company Name');
    // row -> line, from EXPECTED.md: 2=2, 3=5, 4=6, 5=9, 6=10, 7=13, 8=14, 9=15, 10=16, 11=19
    expect(t.rows.map((r) => [r.row, r.line])).toEqual([
      [2, 2],
      [3, 5],
      [4, 6],
      [5, 9],
      [6, 10],
      [7, 13],
      [8, 14],
      [9, 15],
      [10, 16],
      [11, 19],
    ]);
    expect(t.rows.map((r) => r.cells[0])).toContain('Nordwind Energie, GmbH & Co. KG');
  });

  it('numbers the bad-rows file as EXPECTED.md lists it', () => {
    const t = table('companies-bad-rows.csv');
    expect(t.rows.map((r) => `${r.row}=${r.line}`)).toEqual(
      '2=2 3=5 4=9 5=10 6=15 7=18 8=21 9=23 10=24 11=26 12=27 13=28'.split(' '),
    );
  });

  it('detects ; | and tab from the header line', () => {
    const eu = table('companies-excel-eu.csv');
    expect(eu.delimiter).toBe(';');
    expect(eu.rows.map((r) => r.cells[0])).toEqual(
      expect.arrayContaining(['Acme, Inc.', 'Dupont; Fils SARL']),
    );
    expect(eu.rows.find((r) => r.cells[0] === 'Société Générale')?.cells[10]).toBe('88,5');
    const pipe = table('companies-pipe.csv');
    expect(pipe.delimiter).toBe('|');
    expect(pipe.rows.map((r) => r.cells[0])).toContain('Pipe | Fitting Co.');
    const tab = table('companies-unicode-text.txt');
    expect(tab.delimiter).toBe('\t');
    expect(tab.rows.map((r) => [r.row, r.line]).slice(-2)).toEqual([
      [8, 8],
      [9, 10],
    ]);
    expect(tab.rows).toHaveLength(8);
  });

  it('names the separator when a row has another cell count', () => {
    expect(problems(() => readCsvTable('Company;Tier\nAcme, Inc.;Tier 1;x\n'))).toEqual([
      {
        where: 'row 2',
        field: '',
        message:
          'expected 2 cells like the header, got 3 (cells are separated by semicolon (;), as on the header row)',
      },
    ]);
  });

  it('refuses an unclosed quote on the row it starts, counting blank lines as rows', () => {
    expect(
      problems(() => readCsvTable('Company,Website\nAcme,acme.com\n\n"Beta,beta.io\nGamma,gamma.io\n')),
    ).toEqual([
      {
        where: 'row 4',
        field: '',
        message: 'a quoted cell that starts on this row is never closed (a missing ")',
      },
    ]);
  });

  it('keeps a quote inside an unquoted cell as written, and refuses text after a closing quote', () => {
    expect(readCsvTable('Company\nThe "Best" Co\n')?.rows[0]?.cells).toEqual(['The "Best" Co']);
    expect(problems(() => readCsvTable('Company,Tier\n"Acme" Inc,1\n'))[0]?.where).toBe('row 2');
  });

  it('reads CR, LF and CRLF line ends and skips blank rows', () => {
    const t = readCsvTable('A,B\r\n1,2\r3,4\n\n,\n5,6');
    expect(t?.rows.map((r) => [r.row, ...r.cells])).toEqual([
      [2, '1', '2'],
      [3, '3', '4'],
      [6, '5', '6'],
    ]);
    expect(readCsvTable('\n\n')).toBeUndefined();
  });
});

describe('resolveColumns', () => {
  it('uses the Tier column with values when there are two, and names both', () => {
    const t = table('companies-duplicate-tier.csv');
    const r = resolveColumns(t.header.cells, t.rows);
    expect(r.columns.get('tier')).toBe(10);
    expect(r.warnings).toEqual([
      {
        code: 'duplicate_column',
        message:
          'Columns "Tier" (11th column, K) and "Tier" (13th column, M) both hold the tier; column K, the one with values (7 of 8 rows), was used.',
      },
    ]);
  });

  it('reads aliased scoring headers and never the intent-score decoy', () => {
    const aliased = table('companies-aliased-scores.csv');
    const a = resolveColumns(aliased.header.cells, aliased.rows);
    expect([a.headerOf.get('icp_score'), a.headerOf.get('tier')]).toEqual(['ICP Fit Score', 'ICP Tier']);
    const modern = table('companies-export-modern.csv');
    const m = resolveColumns(modern.header.cells, modern.rows);
    expect(m.headerOf.get('icp_score')).toBe('ICP Score');
    const none = table('companies-no-scores.csv');
    const n = resolveColumns(none.header.cells, none.rows);
    expect(n.columns.has('icp_score')).toBe(false);
    expect(n.columns.has('tier')).toBe(false);
    expect(n.kind).toBe('companies');
  });

  it("recognises a People export and uses the company's place, not the contact's", () => {
    const t = table('people-export.csv');
    const r = resolveColumns(t.header.cells, t.rows);
    expect(r.kind).toBe('people');
    expect(r.headerOf.get('country')).toBe('Company Country');
    expect(r.headerOf.get('name')).toBe('Company');
    expect(r.headerOf.get('name_for_emails')).toBe('Company Name for Emails');
    expect(r.headerOf.get('account_id')).toBe('Apollo Account Id');
    expect(resolveColumns(['Company', 'First Name', 'Email', 'Country'], []).columns.has('country')).toBe(
      false,
    );
  });
});
