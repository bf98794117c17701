/** Durations, and the incidents of a week for the digest. */

import { formatPercent, slackDateTime } from '../../domain/format.js';
import { ALERT_RULE_IDS, formatRuleValue, ruleOfIncident } from './rules.js';
import type { AlertState } from './state.js';

// ---------------------------------------------------------------------------------------------
// Durations and the weekly digest.

/** "2h", "1d 3h", "45m" (rounded down to minutes; under a minute is "<1m"). */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '<1m';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter(Boolean).join(' ');
}

/** Incidents opened and resolved in a window, for the weekly digest. Lines are mrkdwn without user text. */
export function summarizeIncidents(
  state: AlertState,
  window: { start: Date; end: Date },
  timeZone: string,
): { opened: number; resolved: number; lines: string[] } {
  const inWindow = (iso: string | undefined) => {
    if (iso === undefined) return false;
    const t = Date.parse(iso);
    return t >= window.start.getTime() && t < window.end.getTime();
  };
  const open = ALERT_RULE_IDS.flatMap((r) => {
    const i = state.rules[r]?.incident;
    return i ? [i] : [];
  });
  const all = [...open, ...state.history].sort((a, b) => b.number - a.number);
  const touched = all.filter((i) => inWindow(i.opened_at) || inWindow(i.resolved_at));
  const lines = touched.map((i) => {
    const def = ruleOfIncident(i);
    const opened = slackDateTime(i.opened_at, timeZone);
    const state =
      i.resolved_at === undefined
        ? 'still open'
        : `${i.resolution === 'turned_off' ? 'closed' : 'resolved'} after ${formatDuration(Date.parse(i.resolved_at) - Date.parse(i.opened_at))}`;
    return `• #${i.number} ${def.name} ${def.direction} ${formatRuleValue(def.unit, i.threshold)}: opened ${opened}, worst ${formatRuleValue(def.unit, i.worst_value)}, ${state}`;
  });
  return {
    opened: all.filter((i) => inWindow(i.opened_at)).length,
    resolved: all.filter((i) => inWindow(i.resolved_at)).length,
    lines,
  };
}

/**
 * One line per open incident for the dashboard and the App Home, leading with the measured value:
 * "#3 API success rate 82.0% (error rate 18.0%)". No user text, so nothing to escape.
 */
export function openIncidentLines(state: AlertState): string[] {
  return ALERT_RULE_IDS.flatMap((r) => {
    const i = state.rules[r]?.incident;
    if (!i) return [];
    const def = ruleOfIncident(i);
    const api = i.detail.api;
    const companion =
      r === 'success_rate' && api && api.total > 0
        ? ` (error rate ${formatPercent(api.failed / api.total)})`
        : '';
    return [`#${i.number} ${def.name} ${formatRuleValue(def.unit, i.latest_value)}${companion}`];
  });
}
