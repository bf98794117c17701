/**
 * Times the reading steps of an upload on the benchmark's own data (the 10,000-row Apollo CSV and the
 * 100,000-company JSON run, same seeds as `npm run bench`), each step alone, median of several rounds:
 *
 *   npm run build && node dist/bench/read-steps.js
 *
 * Not part of the bench budgets; it says where the reading time goes.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { DEFAULT_PARSE_LIMITS, readUpload } from '../src/domain/parse-run/index.js';
import { normaliseApolloJson } from '../src/domain/read/apollo-json.js';
import { companyRecordsOf } from '../src/domain/read/csv-companies.js';
import { detectDelimiter, readCsvTable } from '../src/domain/read/csv-table.js';
import { decodeUpload } from '../src/domain/read/decode.js';
import { decideScoreScale } from '../src/domain/read/score-scale.js';
import { companiesToCsv, generateRun, runToJson } from './data.js';

const ROUNDS = 9;

function time(name: string, fn: () => unknown): void {
  for (let i = 0; i < 2; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(ROUNDS / 2)] as number;
  console.log(`${name.padEnd(58)} ${median.toFixed(2).padStart(8)} ms`);
}

const startedAt = '2026-11-23T09:00:00.000Z';
const csvRun = generateRun({
  seed: 7,
  runId: 'csv',
  startedAt,
  companies: 10_000,
  calls: 0,
  scoreDecimals: 1,
});
const csvBytes = new TextEncoder().encode(companiesToCsv(csvRun.companies));
const csvText = decodeUpload(csvBytes).text;
console.log(`CSV: ${csvRun.companies.length} rows, ${(csvBytes.length / 1048576).toFixed(2)} MiB`);
time('decode bytes (UTF-8 check, U+FFFD scan)', () => decodeUpload(csvBytes));
time('detect the separator (header line)', () => detectDelimiter(csvText));
time('read the table (new tokenizer, rows numbered)', () => readCsvTable(csvText));
time('  for comparison: csv-parse as before', () => parseCsv(csvText, { bom: true, skip_empty_lines: true }));
const table = readCsvTable(csvText);
if (!table) throw new Error('empty table');
time('resolve columns, People check, records', () => companyRecordsOf(table));
time('score scale check', () => decideScoreScale(csvRun.companies, undefined));
const csvUpload = { bytes: csvBytes, contentType: 'text/csv', started_at: startedAt };
time('the whole reading path (readUpload: bytes to run)', () => readUpload(csvUpload, DEFAULT_PARSE_LIMITS));

const big = generateRun({
  seed: 42,
  runId: 'run-100k',
  startedAt,
  companies: 100_000,
  calls: 20_000,
  scoreDecimals: 1,
});
const jsonBytes = new TextEncoder().encode(runToJson(big));
const jsonText = decodeUpload(jsonBytes).text;
console.log(`JSON: ${big.companies.length} companies, ${(jsonBytes.length / 1048576).toFixed(2)} MiB`);
time('decode bytes (UTF-8 check, U+FFFD scan)', () => decodeUpload(jsonBytes));
time('  for comparison: Buffer toString as before', () => Buffer.from(jsonBytes).toString('utf8'));
time('  for comparison: JSON.parse', () => JSON.parse(jsonText));
const body = JSON.parse(jsonText);
time('recognise the shape (run or Apollo answer)', () => normaliseApolloJson(body));
time('score scale check', () => decideScoreScale(big.companies, undefined));
const jsonUpload = { bytes: jsonBytes, contentType: 'application/json' };
time('the whole reading path (readUpload: bytes to run)', () => readUpload(jsonUpload, DEFAULT_PARSE_LIMITS));
