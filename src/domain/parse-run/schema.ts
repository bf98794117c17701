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
  Invalid,
  isRecord,
  type NumberSpec,
  numberOrDefault,
  optionalLabel,
  optionalNumber,
  optionalRunId,
  optionalText,
  requiredInstant,
  requiredNumber,
  requiredText,
  tierOf,
} from './fields.js';
import { groupThousands, RUN_LIMITS } from './limits.js';

// ---------------------------------------------------------------------------------------------------
// Shapes

export const typeError = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'required' : expectedGot(expected, issue.input);

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
      total_calls: field(requiredNumber(TOTAL_CALLS)),
      success_rate: field(requiredNumber(FRACTION)),
      avg_response_time: field(requiredNumber(SECONDS)),
      credits_used: field(requiredNumber(TOTAL_CREDITS)),
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
export const qualityScore = requiredNumber(SCORE);

/** The marker issue a bounded list adds for the problems it counted but did not list. */
export interface MoreProblems {
  more: number;
}

/**
 * A list checked against its length limit before any element is looked at, whose elements are then
 * converted one by one with the same converters the element schemas are built from (a zod failure
 * per element costs an Error object; a million of them took seconds). At most `RUN_LIMITS.maxProblems`
 * issues are kept, the rest only counted (one marker issue carries the count).
 *
 * `element` is a field table (each element an object) or one converter (each element a value).
 */
export function boundedList<T>(
  element: Record<string, Converter> | ((value: unknown) => Converted<T>),
  options: { expected: string; max?: number; what: string },
) {
  const table = typeof element === 'function' ? undefined : Object.entries(element);
  const convert = typeof element === 'function' ? element : undefined;
  return z.unknown().transform((value, ctx): T[] => {
    if (!Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: typeError(options.expected)({ input: value }) });
      return z.NEVER;
    }
    if (options.max !== undefined && value.length > options.max) {
      ctx.addIssue({
        code: 'custom',
        message: `expected at most ${groupThousands(options.max)} ${options.what}, got ${groupThousands(value.length)}`,
      });
      return z.NEVER;
    }
    const out: T[] = [];
    let listed = 0;
    let more = 0;
    const problem = (path: Array<string | number>, message: string) => {
      if (listed >= RUN_LIMITS.maxProblems) {
        more++;
        return;
      }
      listed++;
      ctx.addIssue({ code: 'custom', message, path });
    };
    for (let i = 0; i < value.length; i++) {
      const raw: unknown = value[i];
      if (convert) {
        const result = convert(raw);
        if (result instanceof Invalid) problem([i], result.message);
        else out.push(result);
        continue;
      }
      if (!isRecord(raw)) {
        problem([i], typeError('an object')({ input: raw }));
        continue;
      }
      const converted: Record<string, unknown> = {};
      let valid = true;
      for (const [key, fieldConvert] of table ?? []) {
        const result = fieldConvert(raw[key]);
        if (result instanceof Invalid) {
          valid = false;
          problem([i, key], result.message);
        } else {
          converted[key] = result;
        }
      }
      if (valid) out.push(converted as T);
    }
    if (more > 0) {
      const params: MoreProblems = { more };
      ctx.addIssue({ code: 'custom', message: `…and ${more} more`, params });
    }
    return out;
  });
}

type RowOf<F extends Record<string, Converter>> = { [K in keyof F]: ConvertedValue<F[K]> };

export const runSchema = z.object(
  {
    run_id: field(optionalRunId),
    started_at: field(requiredInstant),
    label: field(optionalLabel),
    companies: boundedList<RowOf<typeof COMPANY_FIELDS>>(COMPANY_FIELDS, {
      expected: 'a list of companies',
      what: 'companies',
    }),
    api_calls: z.preprocess(
      absentIfNull,
      boundedList<RowOf<typeof API_CALL_FIELDS>>(API_CALL_FIELDS, {
        expected: 'a list of API calls',
        max: RUN_LIMITS.maxApiCalls,
        what: 'API calls',
      }).optional(),
    ),
    api_metrics: z.preprocess(absentIfNull, apiMetricsSchema.optional()),
    quality_scores: z.preprocess(
      absentIfNull,
      boundedList(qualityScore, {
        expected: 'a list of numbers',
        max: RUN_LIMITS.maxQualityScores,
        what: 'quality scores',
      }).optional(),
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
