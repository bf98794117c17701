/** What an upload may be: its size and company limits, its format, and how a too-large one is told. */

import { AppError } from '../../errors.js';
import type { ScoreScale } from '../read/score-scale.js';
import { MAX_LABEL_CHARS, MAX_TEXT_CHARS } from './fields.js';

export interface ParseLimits {
  maxBytes: number;
  maxCompanies: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxBytes: 20 * 1024 * 1024, maxCompanies: 100_000 };

/**
 * What one run may hold beyond its companies. Each bound is far above what a real pipeline sends and
 * keeps every sum the aggregate stores finite (200,000 calls x 1,000,000 credits is 2e11).
 */
export const RUN_LIMITS = {
  /** API calls in one run's call log. */
  maxApiCalls: 200_000,
  /** Numbers in `quality_scores`. */
  maxQualityScores: 200_000,
  /** Characters in a name, industry, place or endpoint. */
  maxTextChars: MAX_TEXT_CHARS,
  /** Characters in a run label. */
  maxLabelChars: MAX_LABEL_CHARS,
  /** Problems listed in a refusal; the rest are counted. */
  maxProblems: 100,
  /** How far in the future `started_at` may be (clock skew, time zones). */
  maxFutureMs: 24 * 60 * 60 * 1000,
} as const;

export type RunFormat = 'json' | 'csv';

export interface ParseOptions {
  /**
   * Convert valid uploads directly (default true). False runs every upload through the zod schema
   * alone: the reference the fast path is tested against; both give the same run or the same problems.
   */
  fastPath?: boolean;
  /** The current time: a run that starts more than a day after it is refused. Without it, no check. */
  now?: Date;
}

export interface RunUploadInput {
  text: string;
  format: RunFormat;
  /** For CSV (required there, since CSV carries no run metadata) and as an override/fallback for JSON. */
  started_at?: string;
  run_id?: string;
  label?: string;
  /** How scores are written: `0-1` fractions are scaled to 0-100; unset, a run of fractions is refused. */
  score_scale?: ScoreScale;
  /** The run's date when neither `started_at` nor the upload has one (the form's date, a file's mtime). */
  default_started_at?: string;
}

/**
 * A specific content type first (`csv`, `tab-separated`, `json`), then the file name, then a look at the
 * first character: generic types (`text/plain`, `application/octet-stream`) say nothing.
 */
export function detectRunFormat(hints: { text: string; filename?: string; contentType?: string }): RunFormat {
  const contentType = hints.contentType?.toLowerCase() ?? '';
  const filename = hints.filename?.trim().toLowerCase() ?? '';
  if (contentType.includes('csv') || contentType.includes('tab-separated')) return 'csv';
  if (contentType.includes('json')) return 'json';
  if (/\.(csv|tsv)$/.test(filename)) return 'csv';
  if (filename.endsWith('.json')) return 'json';
  const first = hints.text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .charAt(0);
  return first === '{' || first === '[' ? 'json' : 'csv';
}

// ---------------------------------------------------------------------------------------------------
// Limits

export const KIB = 1024;
export const MIB = 1024 * 1024;

/** The unit follows the limit (MiB for real limits); the upload's size is rounded up so it never reads as equal. */
export function formatSize(bytes: number, limit: number, rounding: 'up' | 'down'): string {
  const [unit, name] = limit >= MIB ? [MIB, 'MiB'] : limit >= KIB ? [KIB, 'KiB'] : [1, 'bytes'];
  const scaled = (bytes / unit) * 10;
  const tenths = rounding === 'up' ? Math.ceil(scaled) : Math.floor(scaled);
  return `${(tenths / 10).toFixed(1).replace(/\.0$/, '')} ${name}`;
}

export function tooManyCompanies(count: number, limits: ParseLimits): AppError {
  return new AppError(
    'upload_too_large',
    `The upload has ${groupThousands(count)} companies; the limit is ${groupThousands(limits.maxCompanies)}.`,
  );
}

export function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
