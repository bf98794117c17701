/** Storing a run, the same way for every way in (Slack form, HTTP; the CLI uses the reading half). */
import { aggregateRun, headlineOf, unstorableHeadlineField } from '../domain/aggregate.js';
import type { Run } from '../domain/model.js';
import {
  type ParseLimits,
  type RunReading,
  readUpload,
  type UploadInput,
} from '../domain/parse-run/index.js';
import type { ReadWarning } from '../domain/read/warnings.js';
import { type RunMeta, type RunSource, warningsToKeep } from '../domain/run-meta.js';
import { AppError } from '../errors.js';
import { type EncodedRun, encodeRun } from '../store/run-encoding.js';
import type { SaveRunResult, Store } from '../store/store.js';

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

export function buildRunRecord(
  run: Run,
  meta: {
    source: RunSource;
    uploadedBy?: string;
    now: Date;
    warnings?: readonly ReadWarning[];
    contactRows?: number;
  },
) {
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
  if (meta.warnings !== undefined && meta.warnings.length > 0)
    runMeta.warnings = warningsToKeep(meta.warnings);
  if (meta.contactRows !== undefined) runMeta.contact_rows = meta.contactRows;
  return { run, aggregate, meta: runMeta };
}

/** A reading turned into what the store keeps. */
export function recordOfReading(
  reading: RunReading,
  meta: { source: RunSource; uploadedBy?: string; now: Date },
) {
  return buildRunRecord(reading.run, {
    ...meta,
    warnings: reading.warnings,
    ...(reading.contactRows === undefined ? {} : { contactRows: reading.contactRows }),
  });
}

export type RunRecord = ReturnType<typeof buildRunRecord>;

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
