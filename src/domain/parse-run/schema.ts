/** The run's shape as zod schemas built from the field converters, and the `Run` it becomes. */

import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ApiCall, ApiMetrics, Company, Run } from '../model.js';
import {
  type Converted,
  campaignOf,
  domainOf,
  expectedGot,
  field,
  type NumberSpec,
  numberOrDefault,
  optionalNumber,
  optionalRunId,
  optionalText,
  requiredInstant,
  requiredNumber,
  requiredText,
  tierOf,
} from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Shapes

export const typeError = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'required' : expectedGot(expected, issue.input);

export const SCORE: NumberSpec = { expected: 'a number from 0 to 100', min: 0, max: 100 };
export const SECONDS: NumberSpec = { expected: 'a number of seconds, 0 or more', min: 0 };
export const CREDITS: NumberSpec = { expected: 'a number, 0 or more', min: 0 };
export const FRACTION: NumberSpec = { expected: 'a fraction from 0 to 1 (e.g. 0.97)', min: 0, max: 1 };

/**
 * Each field's converter, in output order. The zod schemas are built from these tables, and so is
 * the fast path for valid uploads (see `readRunFast`), so both accept exactly the same values.
 */
export const COMPANY_FIELDS = {
  name: requiredText,
  domain: domainOf,
  industry: optionalText,
  employees: optionalNumber({
    expected: 'a whole number, 0 or more',
    min: 0,
    integer: true,
    thousands: true,
  }),
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

export type Converter = (value: unknown) => Converted<unknown>;
export type ConvertedValue<C> = C extends (value: unknown) => Converted<infer T> ? T : never;

export function fieldShape<F extends Record<string, Converter>>(fields: F) {
  return Object.fromEntries(Object.entries(fields).map(([key, convert]) => [key, field(convert)])) as {
    [K in keyof F]: ReturnType<typeof field<ConvertedValue<F[K]>>>;
  };
}

export const companySchema = z.object(fieldShape(COMPANY_FIELDS), { error: typeError('an object') });

export const apiCallSchema = z.object(fieldShape(API_CALL_FIELDS), { error: typeError('an object') });

export const apiMetricsSchema = z
  .object(
    {
      total_calls: field(requiredNumber({ expected: 'a whole number, 0 or more', min: 0, integer: true })),
      success_rate: field(requiredNumber(FRACTION)),
      avg_response_time: field(requiredNumber(SECONDS)),
      credits_used: field(requiredNumber(CREDITS)),
      error_rate: field(requiredNumber(FRACTION)),
    },
    { error: typeError('an object') },
  )
  .superRefine((metrics, ctx) => {
    const sum = metrics.success_rate + metrics.error_rate;
    if (metrics.total_calls > 0 && Math.abs(sum - 1) > 0.01) {
      ctx.addIssue({
        code: 'custom',
        path: ['error_rate'],
        message: `expected success_rate + error_rate to add up to 1, got ${metrics.success_rate} + ${metrics.error_rate} = ${Number(sum.toFixed(4))}`,
      });
    }
  });

export const absentIfNull = (value: unknown): unknown => (value === null ? undefined : value);
export const qualityScore = requiredNumber({ expected: 'a number' });

export const runSchema = z.object(
  {
    run_id: field(optionalRunId),
    started_at: field(requiredInstant),
    label: field(optionalText),
    companies: z.array(companySchema, { error: typeError('a list of companies') }),
    api_calls: z.preprocess(
      absentIfNull,
      z.array(apiCallSchema, { error: typeError('a list of API calls') }).optional(),
    ),
    api_metrics: z.preprocess(absentIfNull, apiMetricsSchema.optional()),
    quality_scores: z.preprocess(
      absentIfNull,
      z.array(field(qualityScore), { error: typeError('a list of numbers') }).optional(),
    ),
  },
  { error: typeError('a JSON object with started_at and companies') },
);

export type ParsedRun = z.output<typeof runSchema>;

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toRun(parsed: ParsedRun, text: string): Run {
  const companies: Company[] = parsed.companies.map((company) => dropUndefined<Company>(company));
  const apiCalls: ApiCall[] = (parsed.api_calls ?? []).map((call) => ({ ...call }));
  const metrics: ApiMetrics | undefined = parsed.api_metrics && { ...parsed.api_metrics };
  return dropUndefined<Run>({
    run_id: parsed.run_id ?? deriveRunId(text),
    started_at: parsed.started_at,
    label: parsed.label,
    companies,
    api_calls: apiCalls,
    api_metrics: metrics,
    quality_scores: parsed.quality_scores ?? [],
  });
}

export function deriveRunId(text: string): string {
  return `run-${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12)}`;
}
