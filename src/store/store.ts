/** What the app keeps, per workspace (Slack team id). One implementation: keyv-store.ts. */
import type { RunAggregate } from '../domain/aggregate.js';
import type { Company, Run } from '../domain/model.js';
import type { RunMeta } from '../domain/run-meta.js';
import type { StoredSettings } from '../domain/settings.js';

export interface SaveRunResult {
  meta: RunMeta;
  /** The run this upload replaced (same run_id), if any. */
  replaced: RunMeta | null;
}

export interface Store {
  /** Stores a run, its aggregate and its index entry; the index write is the commit point. */
  saveRun(team: string, input: { run: Run; aggregate: RunAggregate; meta: RunMeta }): Promise<SaveRunResult>;
  /** Newest first. */
  listRuns(team: string): Promise<RunMeta[]>;
  getAggregates(team: string, runIds: readonly string[]): Promise<RunAggregate[]>;
  getCompanies(team: string, runId: string): Promise<Company[] | null>;
  deleteRun(team: string, runId: string): Promise<RunMeta | null>;
  getSettings(team: string): Promise<StoredSettings>;
  /** Applies `change` to the current settings under the workspace's lock and stores the result. */
  updateSettings(team: string, change: (current: StoredSettings) => StoredSettings): Promise<StoredSettings>;
  /** Throws when the store cannot be read. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
