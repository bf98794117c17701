/** Loading what a dashboard needs and computing it: shared by Slack, the HTTP API and the CLI. */
import type { RunAggregate } from '../domain/aggregate.js';
import type { CampaignUpdate } from '../domain/campaigns.js';
import { computeDashboard, type DashboardModel } from '../domain/dashboard.js';
import { type PeriodSpec, selectPeriod } from '../domain/period.js';
import type { RunMeta } from '../domain/run-meta.js';
import { resolveSettings, roiAssumptionsOf, type StoredSettings } from '../domain/settings.js';
import type { Thresholds } from '../domain/thresholds.js';
import type { Store } from '../store/store.js';

export interface DashboardSource {
  runs: readonly RunMeta[];
  settings: StoredSettings;
  loadAggregates(runIds: readonly string[]): Promise<RunAggregate[]>;
  /** Every recorded campaign update in recorded order (the store's, or a `--campaigns` file); none when absent. */
  campaigns?: readonly CampaignUpdate[];
  /** The workspace's alert thresholds, so the dashboard judges as the alerts do; the seed's when absent. */
  thresholds?: Thresholds;
}

export async function buildDashboard(options: {
  source: DashboardSource;
  period: PeriodSpec;
  now: Date;
  defaultTimeZone: string;
}): Promise<DashboardModel> {
  const settings = resolveSettings(options.source.settings, { timeZone: options.defaultTimeZone });
  const selection = selectPeriod(options.period, options.source.runs, {
    now: options.now,
    timeZone: settings.timezone,
  });
  const current = await options.source.loadAggregates(selection.current.map((r) => r.run_id));
  return computeDashboard({
    period: selection.period,
    current,
    previous: selection.previous,
    history: options.source.runs,
    settings: {
      rate_limit: settings.rate_limit,
      roi: roiAssumptionsOf(settings),
      credit_cost: settings.credit_cost,
      currency: settings.currency,
      thresholds: options.source.thresholds,
    },
    generatedAt: options.now,
    campaigns: options.source.campaigns ?? [],
    currentRuns: selection.current,
  });
}

export async function storeDashboardSource(store: Store, team: string): Promise<DashboardSource> {
  // The campaign documents' schemas (zod) are loaded on the first store read, not by the offline
  // report, which reads no store.
  const [{ loadCampaignUpdates }, { loadAlertThresholds }] = await Promise.all([
    import('./campaign-updates.js'),
    import('./alert-thresholds.js'),
  ]);
  const [runs, settings, campaigns, thresholds] = await Promise.all([
    store.listRuns(team),
    store.getSettings(team),
    loadCampaignUpdates(store, team),
    loadAlertThresholds(store, team),
  ]);
  return {
    runs,
    settings,
    campaigns,
    thresholds,
    loadAggregates: (ids) => store.getAggregates(team, ids),
  };
}
