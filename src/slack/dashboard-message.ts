/** The dashboard a person sees for a workspace and period: the model, the notes under it, rendered. */
import { renderDashboardMessage } from '../blocks/dashboard.js';
import type { SlackMessage } from '../blocks/kit.js';
import { damagedNote } from '../blocks/runs.js';
import type { PeriodSpec } from '../domain/period.js';
import { buildDashboard, storeDashboardSource } from '../services/dashboard.js';
import type { Deps } from './deps.js';

/** Short mrkdwn lines (already escaped) shown under the dashboard; never throws. */
export type DashboardNotes = (team: string) => Promise<string[]>;

export async function dashboardMessage(
  deps: Deps,
  team: string,
  period: PeriodSpec,
  notes: DashboardNotes,
): Promise<SlackMessage> {
  const model = await buildDashboard({
    source: await storeDashboardSource(deps.store, team),
    period,
    now: deps.now(),
    defaultTimeZone: deps.config.defaultTimeZone,
  });
  // Listed after the model is built, so damaged aggregates met while building it are named too.
  const damaged = damagedNote(await deps.store.listDamaged(team));
  return renderDashboardMessage(model, { notes: [...(damaged ? [damaged] : []), ...(await notes(team))] });
}
