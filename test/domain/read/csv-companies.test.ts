import { describe, expect, it } from 'vitest';
import { companyRecordsOf, fromDecimalComma } from '../../../src/domain/read/csv-companies.js';
import { readCsvTable } from '../../../src/domain/read/csv-table.js';
import { decodeUpload } from '../../../src/domain/read/decode.js';
import { fixtureBytes } from './fixture.js';

const recordsOf = (name: string) => {
  const table = readCsvTable(decodeUpload(fixtureBytes(name)).text);
  const records = table && companyRecordsOf(table);
  if (!records) throw new Error('no records');
  return records;
};

describe('companyRecordsOf', () => {
  it('reads decimal commas in a semicolon file', () => {
    const eu = recordsOf('companies-excel-eu.csv');
    expect(eu.records.map((r) => r.cells.icp_score)).toEqual([
      '88.5',
      '79.25',
      '91',
      '42.5',
      '63.75',
      '70',
      '55.5',
      '',
      '38',
    ]);
    expect(eu.warnings.map((w) => w.code)).toEqual(['decimal_comma']);
    expect(eu.warnings[0]?.message).toBe(
      'The file is separated by semicolons, so numbers were read with a decimal comma (88,5 is 88.5 and 1.200 is 1200): 5 numbers.',
    );
  });

  it('takes the name from Company Name for Emails when Company is blank, at the right row', () => {
    const people = recordsOf('people-export.csv');
    expect(people.kind).toBe('people');
    expect(people.records).toHaveLength(15);
    const zurich = people.records.find((r) => r.cells.name === 'Zürich Analytics');
    expect(zurich?.row).toBe(16);
    expect(people.records.filter((r) => r.accountId === undefined).map((r) => r.cells.name)).toEqual([
      'Fjord Robotics',
      'Fjord Robotics AS',
    ]);
  });

  it('reads the text null as no value, and keeps other cells as written', () => {
    const legacy = recordsOf('companies-export-legacy.csv');
    const zurich = legacy.records.find((r) => r.cells.name === 'Zürich Analytics AG');
    expect(zurich).toMatchObject({ row: 13, cells: { icp_score: '', tier: 'Tier 3' } });
    const bad = recordsOf('companies-bad-rows.csv');
    expect(bad.records.find((r) => r.row === 9)?.cells.employees).toBe('1.200');
  });

  it('converts only number shapes', () => {
    expect(['88,5', '1.200', '1.200,5', '1,200', '88.5', 'abc'].map(fromDecimalComma)).toEqual([
      '88.5',
      '1200',
      '1200.5',
      '1.200',
      '88.5',
      'abc',
    ]);
  });

  it('refuses a header without any company name column', () => {
    const table = readCsvTable('Website,Industry\nacme.com,Software\n');
    expect(table && companyRecordsOf(table)).toBeUndefined();
  });
});
