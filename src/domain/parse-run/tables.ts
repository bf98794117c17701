/**
 * The field tables of a run (each field's converter, in output order) and what the fast path needs
 * besides. No zod here: the zod schemas (schema.ts) are built from these tables, and the fast path
 * reads valid uploads with them directly, so a reader that only takes the fast path (the offline
 * report) does not load zod.
 */

import { createHash } from 'node:crypto';
import type { ApiMetrics } from '../model.js';
import {
  type Converted,
  campaignOf,
  domainOf,
  type NumberSpec,
  numberOrDefault,
  optionalNumber,
  optionalText,
  requiredInstant,
  requiredNumber,
  requiredText,
  tierOf,
} from './fields.js';

// Every number has a finite, sane range: nothing a real pipeline sends comes near these bounds, and
// with the list limits (RUN_LIMITS) every sum the aggregate stores stays finite and exact enough.
export const SCORE: NumberSpec = { expected: 'a number from 0 to 100', min: 0, max: 100 };
export const SECONDS: NumberSpec = { expected: 'a number of seconds from 0 to 86,400', min: 0, max: 86_400 };
export const CREDITS: NumberSpec = { expected: 'a number from 0 to 1,000,000', min: 0, max: 1_000_000 };
export const TOTAL_CREDITS: NumberSpec = {
  expected: 'a number from 0 to 1,000,000,000,000',
  min: 0,
  max: 1_000_000_000_000,
};
export const TOTAL_CALLS: NumberSpec = {
  expected: 'a whole number from 0 to 1,000,000,000',
  min: 0,
  max: 1_000_000_000,
  integer: true,
};
export const EMPLOYEES: NumberSpec = {
  expected: 'a whole number from 0 to 10,000,000',
  min: 0,
  max: 10_000_000,
  integer: true,
  thousands: true,
};
export const FRACTION: NumberSpec = { expected: 'a fraction from 0 to 1 (e.g. 0.97)', min: 0, max: 1 };

/**
 * Each field's converter, in output order. The zod schemas are built from these tables, and so is
 * the fast path for valid uploads (see `readRunFast`), so both accept exactly the same values.
 */
export const COMPANY_FIELDS = {
  name: requiredText,
  domain: domainOf,
  industry: optionalText,
  employees: optionalNumber(EMPLOYEES),
  country: optionalText,
  state: optionalText,
  city: optionalText,
  icp_score: optionalNumber(SCORE),
  tier: tierOf,
  campaign: campaignOf,
};

export const API_CALL_FIELDS = {
  timestamp: requiredInstant,
  endpoint: requiredText,
  response_time: requiredNumber(SECONDS),
  status_code: requiredNumber({
    expected: 'an HTTP status (a whole number from 100 to 599)',
    min: 100,
    max: 599,
    integer: true,
  }),
  credits_used: numberOrDefault(CREDITS, 0),
};

/** The summary figures of a run without a call log; `metricsProblem` says when they do not add up. */
export const API_METRICS_FIELDS = {
  total_calls: requiredNumber(TOTAL_CALLS),
  success_rate: requiredNumber(FRACTION),
  avg_response_time: requiredNumber(SECONDS),
  credits_used: requiredNumber(TOTAL_CREDITS),
  error_rate: requiredNumber(FRACTION),
};

/** Why the metrics' rates cannot both be right (reported on `error_rate`), or undefined when they add up. */
export function metricsProblem(metrics: ApiMetrics): string | undefined {
  const sum = metrics.success_rate + metrics.error_rate;
  if (metrics.total_calls > 0 && Math.abs(sum - 1) > 0.01) {
    return `expected success_rate + error_rate to add up to 1, got ${metrics.success_rate} + ${metrics.error_rate} = ${Number(sum.toFixed(4))}`;
  }
  return undefined;
}

export type Converter = (value: unknown) => Converted<unknown>;
export type ConvertedValue<C> = C extends (value: unknown) => Converted<infer T> ? T : never;

export const absentIfNull = (value: unknown): unknown => (value === null ? undefined : value);
export const qualityScore = requiredNumber(SCORE);

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function deriveRunId(text: string): string {
  return `run-${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12)}`;
}
