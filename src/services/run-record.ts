/**
 * A valid reading turned into what the store keeps: the run, its aggregate and its index entry. Apart
 * from ingest.ts so that the offline report, which stores nothing, does not load the reading path's
 * schema with it.
 */
import { aggregateRun, headlineOf, unstorableHeadlineField } from '../domain/aggregate.js';
import type { Run } from '../domain/model.js';
import type { RunReading } from '../domain/parse-run/reading.js';
import type { ReadWarning } from '../domain/read/warnings.js';
import { type RunMeta, type RunSource, warningsToKeep } from '../domain/run-meta.js';
import { AppError } from '../errors.js';

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
