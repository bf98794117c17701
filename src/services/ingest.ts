/** Storing a run, the same way for every way in (Slack form, HTTP; the CLI uses the reading half). */
import {
  type ParseLimits,
  type RunReading,
  readUpload,
  type UploadInput,
} from '../domain/parse-run/index.js';
import type { RunSource } from '../domain/run-meta.js';
import { type EncodedRun, encodeRun } from '../store/run-encoding.js';
import type { SaveRunResult, Store } from '../store/store.js';
import { recordOfReading } from './run-record.js';

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
  onStored?: (runId: string, result: SaveRunResult) => Promise<void> | void;
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

/** What the answer to an upload tells about its reading (the run itself is in the store by then). */
export type ReadingSummary = Omit<RunReading, 'run'>;

/**
 * A prepared upload: the run encoded as the store writes it (a few strings, cheap to hand from a
 * worker thread to the app) and what its reading noticed.
 */
export interface PreparedRun {
  encoded: EncodedRun;
  reading: ReadingSummary;
}

export type RunPreparer = (job: PrepareJob) => Promise<PreparedRun>;

/**
 * Reads, validates, aggregates and encodes an upload into what the store saves (pure; runs in a
 * worker). A run dated more than a day after `now` is refused here, whatever its format.
 */
export function prepareRun(job: PrepareJob): PreparedRun {
  const { run, ...reading } = readUpload(job.upload, job.limits, { now: job.now });
  const record = recordOfReading(
    { run, ...reading },
    {
      source: job.source,
      ...(job.uploadedBy === undefined ? {} : { uploadedBy: job.uploadedBy }),
      now: job.now,
    },
  );
  return { encoded: encodeRun(record), reading };
}

export interface IngestResult extends SaveRunResult {
  reading: ReadingSummary;
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
  const { encoded, reading } = options.prepare ? await options.prepare(job) : prepareRun(job);
  const result = await options.store.saveEncodedRun(options.team, encoded);
  await options.onStored?.(encoded.meta.run_id, result);
  return { ...result, reading };
}
