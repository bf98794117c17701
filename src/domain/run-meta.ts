import type { RunHeadline } from './aggregate.js';

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
}

/** Newest first, ties broken by run id so the order is stable. */
export function sortRunsNewestFirst<T extends { started_at: string; run_id: string }>(
  runs: readonly T[],
): T[] {
  return [...runs].sort(
    (a, b) => b.started_at.localeCompare(a.started_at) || b.run_id.localeCompare(a.run_id),
  );
}
