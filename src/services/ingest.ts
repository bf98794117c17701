/** Storing a run, the same way for every way in (modal, HTTP, CLI checks use the parse half). */
import { aggregateRun, headlineOf } from '../domain/aggregate.js';
import type { Run } from '../domain/model.js';
import { type ParseLimits, parseRunUpload, type RunUploadInput } from '../domain/parse-run/index.js';
import type { RunMeta, RunSource } from '../domain/run-meta.js';
import type { SaveRunResult, Store } from '../store/store.js';

export interface IngestOptions {
  store: Store;
  team: string;
  input: RunUploadInput;
  limits: ParseLimits;
  source: RunSource;
  uploadedBy?: string;
  now: Date;
  /** Called after the run is committed, e.g. to evaluate alerts. */
  onStored?: (run: Run, result: SaveRunResult) => Promise<void> | void;
}

export function buildRunRecord(run: Run, meta: { source: RunSource; uploadedBy?: string; now: Date }) {
  const aggregate = aggregateRun(run);
  const runMeta: RunMeta = {
    run_id: run.run_id,
    started_at: run.started_at,
    uploaded_at: meta.now.toISOString(),
    source: meta.source,
    headline: headlineOf(aggregate),
  };
  if (run.label !== undefined) runMeta.label = run.label;
  if (meta.uploadedBy !== undefined) runMeta.uploaded_by = meta.uploadedBy;
  return { run, aggregate, meta: runMeta };
}

/** Parses, validates, aggregates and stores one run; throws `upload_invalid`/`upload_too_large` and stores nothing then. */
export async function ingestRun(options: IngestOptions): Promise<SaveRunResult> {
  const run = parseRunUpload(options.input, options.limits);
  const record = buildRunRecord(run, {
    source: options.source,
    uploadedBy: options.uploadedBy,
    now: options.now,
  });
  const result = await options.store.saveRun(options.team, record);
  await options.onStored?.(run, result);
  return result;
}
