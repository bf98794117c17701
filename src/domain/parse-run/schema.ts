/** The run's shape as zod schemas built from the field converters (tables.ts), and the `Run` it becomes. */

import { z } from 'zod';
import type { ApiCall, ApiMetrics, Company, Run } from '../model.js';
import {
  type Converted,
  expectedGot,
  Invalid,
  isRecord,
  optionalLabel,
  optionalRunId,
  requiredInstant,
} from './fields.js';
import { groupThousands, RUN_LIMITS } from './limits.js';
import {
  API_CALL_FIELDS,
  API_METRICS_FIELDS,
  absentIfNull,
  COMPANY_FIELDS,
  type ConvertedValue,
  type Converter,
  deriveRunId,
  dropUndefined,
  metricsProblem,
  qualityScore,
} from './tables.js';

export * from './tables.js';

// ---------------------------------------------------------------------------------------------------
// Shapes

export const typeError = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'required' : expectedGot(expected, issue.input);

/**
 * A zod schema for one field, driven by a converter; its failures become zod issues on that field.
 * `.optional()` on the input side lets zod 4 pass an absent key to the converter (which says "required").
 */
export function field<T>(convert: (value: unknown) => Converted<T>) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      const result = convert(value);
      if (!(result instanceof Invalid)) return result;
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    });
}

export function fieldShape<F extends Record<string, Converter>>(fields: F) {
  return Object.fromEntries(Object.entries(fields).map(([key, convert]) => [key, field(convert)])) as {
    [K in keyof F]: ReturnType<typeof field<ConvertedValue<F[K]>>>;
  };
}

export const companySchema = z.object(fieldShape(COMPANY_FIELDS), { error: typeError('an object') });

export const apiCallSchema = z.object(fieldShape(API_CALL_FIELDS), { error: typeError('an object') });

export const apiMetricsSchema = z
  .object(fieldShape(API_METRICS_FIELDS), { error: typeError('an object') })
  .superRefine((metrics, ctx) => {
    const message = metricsProblem(metrics);
    if (message !== undefined) ctx.addIssue({ code: 'custom', path: ['error_rate'], message });
  });

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

/** What the fast path leaves to the schema: the run, or every issue the schema found. */
export function validateRun(
  value: unknown,
  text: string,
): { success: true; run: Run } | { success: false; issues: readonly z.core.$ZodIssue[] } {
  const result = runSchema.safeParse(value);
  return result.success
    ? { success: true, run: toRun(result.data, text) }
    : { success: false, issues: result.error.issues };
}
