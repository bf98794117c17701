import type { RunHeadline } from './aggregate.js';
import type { ReadWarning } from './read/warnings.js';

export type RunSource = 'slack' | 'api' | 'file';

/** One entry of a workspace's run index: enough to list runs, pick periods and draw trends. */
export interface RunMeta {
  run_id: string;
  started_at: string;
  label?: string;
  uploaded_at: string;
  uploaded_by?: string;
  source: RunSource;
  headline: RunHeadline;
  /** What the reader noticed about the upload (absent on runs stored before warnings were kept). */
  warnings?: ReadWarning[];
  /** A People export or people match: the contact rows the companies came from. */
  contact_rows?: number;
}

/** Kept with a run: at most this many warnings, each cut to this many characters. */
export const MAX_STORED_WARNINGS = 10;
export const MAX_WARNING_LENGTH = 600;

/** The warnings as they are kept with the run (bounded, so the run index stays small). */
export function warningsToKeep(warnings: readonly ReadWarning[]): ReadWarning[] {
  return warnings.slice(0, MAX_STORED_WARNINGS).map((w) => ({
    code: w.code,
    message:
      w.message.length > MAX_WARNING_LENGTH ? `${w.message.slice(0, MAX_WARNING_LENGTH - 1)}…` : w.message,
  }));
}

/** Newest first, ties broken by run id so the order is stable. */
export function sortRunsNewestFirst<T extends { started_at: string; run_id: string }>(
  runs: readonly T[],
): T[] {
  return [...runs].sort(
    (a, b) => b.started_at.localeCompare(a.started_at) || b.run_id.localeCompare(a.run_id),
  );
}
