/**
 * Parsing of uploaded runs (JSON from a pipeline, or an Apollo CSV export) into a `Run`.
 *
 * Pure: no fs, no process, no clock. Either the whole upload is valid and a `Run` comes back, or an
 * `AppError` is thrown (`upload_too_large` before any parsing, or `upload_invalid` carrying every
 * problem found, each naming where it is and which field). Nothing partial is ever returned.
 */
import { parseCsvRun } from './csv.js';
import { describe } from './fields.js';
import { parseJsonRun } from './json.js';
import {
  DEFAULT_PARSE_LIMITS,
  formatSize,
  type ParseLimits,
  type ParseOptions,
  RUN_LIMITS,
  type RunUploadInput,
} from './limits.js';

export { RUN_ID } from './fields.js';
export {
  DEFAULT_PARSE_LIMITS,
  detectRunFormat,
  type ParseLimits,
  type ParseOptions,
  RUN_LIMITS,
  type RunFormat,
  type RunUploadInput,
} from './limits.js';
export { formatProblems } from './problems.js';
export type { RunReading } from './reading.js';

import { AppError } from '../../errors.js';
import type { Run } from '../model.js';
import { invalid } from './problems.js';
import { finishReading, type RunReading } from './reading.js';
import { validateRun } from './schema.js';
import { readUploadBytes, type UploadInput } from './upload.js';

export type { UploadInput } from './upload.js';

/** An upload's bytes read as a run: decoded, its format detected, validated (see upload.ts). */
export function readUpload(
  input: UploadInput,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  options: ParseOptions = {},
): RunReading {
  return readUploadBytes(input, limits, (text, l) => readRunUpload(text, l, options));
}

/**
 * Parses and validates an upload. Throws `AppError('upload_too_large')` when over the limits and
 * `AppError('upload_invalid', …, { problems })` listing every problem found.
 *
 * Timestamps are ISO-8601 with a date; a date alone is midnight UTC and a date-time without an offset
 * is read as UTC (never as the machine's local time).
 */
export function parseRunUpload(
  input: RunUploadInput,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  options: ParseOptions = {},
): Run {
  return readRunUpload(input, limits, options).run;
}

/** As `parseRunUpload`, with what was noticed on the way: warnings, and the contact rows of a People export. */
export function readRunUpload(
  input: RunUploadInput,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  options: ParseOptions = {},
): RunReading {
  const bytes = Buffer.byteLength(input.text, 'utf8');
  if (bytes > limits.maxBytes) {
    throw new AppError(
      'upload_too_large',
      `The upload is ${formatSize(bytes, limits.maxBytes, 'up')}; the limit is ${formatSize(limits.maxBytes, limits.maxBytes, 'down')}.`,
    );
  }
  const fastPath = options.fastPath ?? true;
  const scale = input.score_scale === undefined ? {} : { scoreScale: input.score_scale };
  let reading: RunReading;
  if (input.format === 'json')
    reading = finishReading(parseJsonRun(input, limits, fastPath, validateRun), 'json', scale);
  else if (input.format === 'csv')
    reading = finishReading(parseCsvRun(input, limits, fastPath), 'csv', scale);
  else {
    throw new AppError(
      'upload_invalid',
      `Unknown upload format ${describe(input.format)}; expected json or csv.`,
    );
  }
  if (options.now) checkNotInFuture(reading.run, options.now);
  return reading;
}

/** A run dated more than a day after `now` is a typo (2099 for 2026), and would sort above every real run. */
export function checkNotInFuture(run: Pick<Run, 'started_at'>, now: Date): void {
  if (Date.parse(run.started_at) - now.getTime() <= RUN_LIMITS.maxFutureMs) return;
  throw invalid([
    {
      where: '',
      field: 'started_at',
      message: `expected a time no more than a day in the future, got ${run.started_at}`,
    },
  ]);
}
