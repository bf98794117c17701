/** Loading what a dashboard needs and computing it: shared by Slack, the HTTP API and the CLI. */
import type { RunAggregate } from '../domain/aggregate.js';
import { computeDashboard, type DashboardModel } from '../domain/dashboard.js';
import { type PeriodSpec, selectPeriod } from '../domain/period.js';
import type { RunMeta } from '../domain/run-meta.js';
import { resolveSettings, type StoredSettings } from '../domain/settings.js';
import type { Store } from '../store/store.js';

export interface DashboardSource {
  runs: readonly RunMeta[];
  settings: StoredSettings;
  loadAggregates(runIds: readonly string[]): Promise<RunAggregate[]>;
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
    settings: { rate_limit: settings.rate_limit },
    generatedAt: options.now,
  });
}

export async function storeDashboardSource(store: Store, team: string): Promise<DashboardSource> {
  const [runs, settings] = await Promise.all([store.listRuns(team), store.getSettings(team)]);
  return { runs, settings, loadAggregates: (ids) => store.getAggregates(team, ids) };
}
