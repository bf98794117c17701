/** Reading what every Slack payload and every workspace carries: its team, its settings, its zone. */
import { type ResolvedSettings, resolveSettings } from '../domain/settings.js';
import type { Deps } from './deps.js';

/** The workspace of an interaction payload (buttons, views). */
export function teamOf(body: { team?: { id?: string } | null; user: { team_id?: string } }): string {
  return body.team?.id ?? body.user.team_id ?? '';
}

/** The workspace's settings with their defaults filled in. */
export async function loadSettings(deps: Deps, team: string): Promise<ResolvedSettings> {
  return resolveSettings(await deps.store.getSettings(team), { timeZone: deps.config.defaultTimeZone });
}

/** The workspace's time zone (`settings timezone=`, else DEFAULT_TIMEZONE). */
export async function timeZoneOf(deps: Deps, team: string): Promise<string> {
  return (await loadSettings(deps, team)).timezone;
}
