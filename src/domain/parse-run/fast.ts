/** The fast path shared by JSON and CSV: a valid upload read field by field into the run, no zod on the way. */

import type { ApiCall, ApiMetrics, Company, Run } from '../model.js';
import { Invalid, isRecord, optionalLabel, optionalRunId, requiredInstant } from './fields.js';
import { RUN_LIMITS } from './limits.js';
import {
  API_CALL_FIELDS,
  API_METRICS_FIELDS,
  absentIfNull,
  type Converter,
  deriveRunId,
  dropUndefined,
  metricsProblem,
  qualityScore,
} from './tables.js';

// ---------------------------------------------------------------------------------------------------
// The fast path. Most uploads are valid, and a 100,000-company run has over a million fields: zod's
// per-field machinery and the intermediate objects cost several times the JSON parse. A valid upload
// is therefore converted field by field with the schemas' own converters (the same tables), straight
// into the run's objects. Anything the fast path does not accept goes through the schema, which either
// names every problem or (for a shape the fast path leaves to it) returns the same run.

export type FieldTable = ReadonlyArray<readonly [string, Converter]>;
export const API_CALL_TABLE: FieldTable = Object.entries(API_CALL_FIELDS);
export const API_METRICS_TABLE: FieldTable = Object.entries(API_METRICS_FIELDS);

export interface RunHead {
  run_id: string | undefined;
  started_at: string;
  label: string | undefined;
}

export function readRunHead(raw: {
  run_id: unknown;
  started_at: unknown;
  label: unknown;
}): RunHead | undefined {
  const runId = optionalRunId(raw.run_id);
  const startedAt = requiredInstant(raw.started_at);
  const label = optionalLabel(raw.label);
  if (runId instanceof Invalid || startedAt instanceof Invalid || label instanceof Invalid) return undefined;
  return { run_id: runId, started_at: startedAt, label };
}

/** Converts `raw[key]` for every field of the table; undefined when one is invalid. Absent results are left out. */
export function readFields(raw: unknown, table: FieldTable): Record<string, unknown> | undefined {
  if (!isRecord(raw)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, convert] of table) {
    const result = convert(raw[key]);
    if (result instanceof Invalid) return undefined;
    if (result !== undefined) out[key] = result;
  }
  return out;
}

/** The optional lists and metrics of a JSON run; undefined when any of them is not plainly valid. */
export function readRunExtras(
  body: Record<string, unknown>,
): Pick<Run, 'api_calls' | 'api_metrics' | 'quality_scores'> | undefined {
  const api_calls: ApiCall[] = [];
  const rawCalls = absentIfNull(body.api_calls);
  if (rawCalls !== undefined) {
    if (!Array.isArray(rawCalls) || rawCalls.length > RUN_LIMITS.maxApiCalls) return undefined;
    for (const raw of rawCalls) {
      const call = readFields(raw, API_CALL_TABLE);
      if (!call) return undefined;
      api_calls.push(call as unknown as ApiCall);
    }
  }
  let api_metrics: ApiMetrics | undefined;
  const rawMetrics = absentIfNull(body.api_metrics);
  if (rawMetrics !== undefined) {
    // The same table and check the schema's api_metrics is built from (schema.ts).
    const metrics = readFields(rawMetrics, API_METRICS_TABLE) as ApiMetrics | undefined;
    if (!metrics || metricsProblem(metrics) !== undefined) return undefined;
    api_metrics = metrics;
  }
  const quality_scores: number[] = [];
  const rawQuality = absentIfNull(body.quality_scores);
  if (rawQuality !== undefined) {
    if (!Array.isArray(rawQuality) || rawQuality.length > RUN_LIMITS.maxQualityScores) return undefined;
    for (const raw of rawQuality) {
      const score = qualityScore(raw);
      if (score instanceof Invalid) return undefined;
      quality_scores.push(score);
    }
  }
  return { api_calls, api_metrics, quality_scores };
}

export function assembleRun(
  head: RunHead,
  companies: Company[],
  extras: Pick<Run, 'api_calls' | 'api_metrics' | 'quality_scores'>,
  text: string,
): Run {
  return dropUndefined<Run>({
    run_id: head.run_id ?? deriveRunId(text),
    started_at: head.started_at,
    label: head.label,
    companies,
    api_calls: extras.api_calls,
    api_metrics: extras.api_metrics,
    quality_scores: extras.quality_scores,
  });
}
