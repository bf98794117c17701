/** Storing a run, the same way for every way in (modal, HTTP, CLI checks use the parse half). */
import { aggregateRun, headlineOf, unstorableHeadlineField } from '../domain/aggregate.js';
import type { Run } from '../domain/model.js';
import { type ParseLimits, parseRunUpload, type RunUploadInput } from '../domain/parse-run/index.js';
import type { RunMeta, RunSource } from '../domain/run-meta.js';
import { AppError } from '../errors.js';
import type { SaveRunResult, Store } from '../store/store.js';

export interface IngestOptions {
  store: Store;
  team: string;
  input: RunUploadInput;
  limits: ParseLimits;
  source: RunSource;
  uploadedBy?: string;
  now: Date;
  /** Where the parsing and aggregating runs (a worker pool); in-process when absent (the CLI). */
  prepare?: RunPreparer;
  /** Called after the run is committed, e.g. to evaluate alerts. */
  onStored?: (run: Run, result: SaveRunResult) => Promise<void> | void;
}

export function buildRunRecord(run: Run, meta: { source: RunSource; uploadedBy?: string; now: Date }) {
  const aggregate = aggregateRun(run);
  const headline = headlineOf(aggregate);
  // Checked before anything is stored: a sum that overflowed would be stored as null and damage the index.
  const overflow = unstorableHeadlineField(headline);
  if (overflow !== undefined) {
    throw new AppError(
      'upload_invalid',
      `The run's total ${overflow} is too large to store; nothing was stored.`,
      {
        problems: [{ where: '', field: overflow, message: `the run's total is ${headline[overflow]}` }],
      },
    );
  }
  const runMeta: RunMeta = {
    run_id: run.run_id,
    started_at: run.started_at,
    uploaded_at: meta.now.toISOString(),
    source: meta.source,
    headline,
  };
  if (run.label !== undefined) runMeta.label = run.label;
  if (meta.uploadedBy !== undefined) runMeta.uploaded_by = meta.uploadedBy;
  return { run, aggregate, meta: runMeta };
}

/** What the CPU-heavy half of an ingest needs: plain data, so it can be posted to a worker thread. */
export interface PrepareJob {
  input: RunUploadInput;
  limits: ParseLimits;
  source: RunSource;
  uploadedBy?: string;
  now: Date;
}

export type RunRecord = ReturnType<typeof buildRunRecord>;
export type RunPreparer = (job: PrepareJob) => Promise<RunRecord>;

/** Parses, validates and aggregates an upload into what the store saves (pure; runs in a worker). */
export function prepareRun(job: PrepareJob): RunRecord {
  const run = parseRunUpload(job.input, job.limits, { now: job.now });
  return buildRunRecord(run, { source: job.source, uploadedBy: job.uploadedBy, now: job.now });
}

/** Parses, validates, aggregates and stores one run; throws `upload_invalid`/`upload_too_large` and stores nothing then. */
export async function ingestRun(options: IngestOptions): Promise<SaveRunResult> {
  const job: PrepareJob = {
    input: options.input,
    limits: options.limits,
    source: options.source,
    now: options.now,
    ...(options.uploadedBy === undefined ? {} : { uploadedBy: options.uploadedBy }),
  };
  const record = options.prepare ? await options.prepare(job) : prepareRun(job);
  const run = record.run;
  const result = await options.store.saveRun(options.team, record);
  await options.onStored?.(run, result);
  return result;
}
