/** Storing a run, the same way for every way in (Slack form, HTTP; the CLI uses the reading half). */
import type { Run } from '../domain/model.js';
import {
  type ParseLimits,
  type RunReading,
  readUpload,
  type UploadInput,
} from '../domain/parse-run/index.js';
import type { RunSource } from '../domain/run-meta.js';
import type { SaveRunResult, Store } from '../store/store.js';
import { type RunRecord, recordOfReading } from './run-record.js';

export interface IngestOptions {
  store: Store;
  team: string;
  upload: UploadInput;
  limits: ParseLimits;
  source: RunSource;
  uploadedBy?: string;
  now: Date;
  /** Where the reading and aggregating runs (a worker pool); in-process when absent. */
  prepare?: RunPreparer;
  /** Called after the run is committed, e.g. to evaluate alerts. */
  onStored?: (run: Run, result: SaveRunResult) => Promise<void> | void;
}

export { buildRunRecord, type RunRecord, recordOfReading } from './run-record.js';

/** What the CPU-heavy half of an ingest needs: plain data, so it can be posted to a worker thread. */
export interface PrepareJob {
  upload: UploadInput;
  limits: ParseLimits;
  source: RunSource;
  uploadedBy?: string;
  now: Date;
}

/** A prepared upload: what the store saves, and the reading it came from (the same run object). */
export interface PreparedRun {
  record: RunRecord;
  reading: RunReading;
}

export type RunPreparer = (job: PrepareJob) => Promise<PreparedRun>;

/**
 * Reads, validates and aggregates an upload into what the store saves (pure; runs in a worker). A run
 * dated more than a day after `now` is refused here, whatever its format.
 */
export function prepareRun(job: PrepareJob): PreparedRun {
  const reading = readUpload(job.upload, job.limits, { now: job.now });
  const record = recordOfReading(reading, {
    source: job.source,
    ...(job.uploadedBy === undefined ? {} : { uploadedBy: job.uploadedBy }),
    now: job.now,
  });
  return { record, reading };
}

export interface IngestResult extends SaveRunResult {
  reading: RunReading;
}

/**
 * Reads, validates, aggregates and stores one upload; throws `upload_invalid`/`upload_too_large` and
 * stores nothing then. Warnings never stop a valid upload: they are kept with the run.
 */
export async function ingestRun(options: IngestOptions): Promise<IngestResult> {
  const job: PrepareJob = {
    upload: options.upload,
    limits: options.limits,
    source: options.source,
    now: options.now,
    ...(options.uploadedBy === undefined ? {} : { uploadedBy: options.uploadedBy }),
  };
  const { record, reading } = options.prepare ? await options.prepare(job) : prepareRun(job);
  const result = await options.store.saveRun(options.team, record);
  await options.onStored?.(reading.run, result);
  return { ...result, reading };
}
