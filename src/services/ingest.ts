/** Storing a run, the same way for every way in (Slack form, HTTP; the CLI uses the reading half). */
import { aggregateRun, headlineOf } from '../domain/aggregate.js';
import type { Run } from '../domain/model.js';
import {
  type ParseLimits,
  type RunReading,
  readUpload,
  type UploadInput,
} from '../domain/parse-run/index.js';
import type { ReadWarning } from '../domain/read/warnings.js';
import { type RunMeta, type RunSource, warningsToKeep } from '../domain/run-meta.js';
import type { SaveRunResult, Store } from '../store/store.js';

export interface IngestOptions {
  store: Store;
  team: string;
  upload: UploadInput;
  limits: ParseLimits;
  source: RunSource;
  uploadedBy?: string;
  now: Date;
  /** Called after the run is committed, e.g. to evaluate alerts. */
  onStored?: (run: Run, result: SaveRunResult) => Promise<void> | void;
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
  const runMeta: RunMeta = {
    run_id: run.run_id,
    started_at: run.started_at,
    uploaded_at: meta.now.toISOString(),
    source: meta.source,
    headline: headlineOf(aggregate),
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

export interface IngestResult extends SaveRunResult {
  reading: RunReading;
}

/**
 * Reads, validates, aggregates and stores one upload; throws `upload_invalid`/`upload_too_large` and
 * stores nothing then. Warnings never stop a valid upload: they are kept with the run.
 */
export async function ingestRun(options: IngestOptions): Promise<IngestResult> {
  const reading = readUpload(options.upload, options.limits);
  const record = recordOfReading(reading, {
    source: options.source,
    ...(options.uploadedBy === undefined ? {} : { uploadedBy: options.uploadedBy }),
    now: options.now,
  });
  const result = await options.store.saveRun(options.team, record);
  await options.onStored?.(reading.run, result);
  return { ...result, reading };
}
