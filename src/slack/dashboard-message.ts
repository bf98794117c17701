/** The dashboard a person sees for a workspace and period: the model, the alerts under it, rendered. */
import { type DashboardAlerts, renderDashboardMessage, renderDashboardSummary } from '../blocks/dashboard.js';
import type { SlackMessage } from '../blocks/kit.js';
import { damagedNote } from '../blocks/runs.js';
import type { DashboardModel } from '../domain/dashboard.js';
import type { PeriodSpec } from '../domain/period.js';
import { buildDashboard, storeDashboardSource } from '../services/dashboard.js';
import type { Deps } from './deps.js';

/** What alerts adds to the dashboard (notes, open incidents); never throws. */
export type DashboardNotes = (team: string) => Promise<DashboardAlerts>;

export async function dashboardModel(deps: Deps, team: string, period: PeriodSpec): Promise<DashboardModel> {
  return buildDashboard({
    source: await storeDashboardSource(deps.store, team),
    period,
    now: deps.now(),
    defaultTimeZone: deps.config.defaultTimeZone,
  });
}

/** The full dashboard (the detail): every section, with charts and tables. */
export async function dashboardMessage(
  deps: Deps,
  team: string,
  period: PeriodSpec,
  notes: DashboardNotes,
): Promise<SlackMessage> {
  const [model, alerts] = await Promise.all([dashboardModel(deps, team, period), notes(team)]);
  const lines = alerts.open.length > 0 ? [`:rotating_light: Open alerts: ${alerts.open.join(' · ')}`] : [];
  return renderDashboardMessage(model, {
    notes: [...(await damagedNotes(deps, team)), ...alerts.notes, ...lines],
    openAlerts: alerts.open,
  });
}

/** The summary a person sees first (at most 10 blocks), with buttons for the detail. */
export async function dashboardSummary(
  deps: Deps,
  team: string,
  period: PeriodSpec,
  notes: DashboardNotes,
): Promise<SlackMessage> {
  const [model, alerts] = await Promise.all([dashboardModel(deps, team, period), notes(team)]);
  const damaged = await damagedNotes(deps, team);
  return renderDashboardSummary(model, { alerts: { ...alerts, notes: [...damaged, ...alerts.notes] } });
}

/**
 * Stored records that failed validation and were left out, named so they can be removed. Listed after
 * the model is built, so damaged aggregates met while building it are named too.
 */
async function damagedNotes(deps: Deps, team: string): Promise<string[]> {
  const note = damagedNote(await deps.store.listDamaged(team));
  return note ? [note] : [];
}
