/**
 * Delivering incident messages once, across timeouts, restarts and replicas. The retries, timeouts
 * and 429s are the app's one Slack delivery policy (src/slack/delivery.ts); this adds what makes
 * an incident appear exactly once:
 *
 * - each message that must not be repeated (a new incident, its resolution, a reminder) is
 *   claimed in the store first (`claimName`), so of two replicas judging runs at the same moment
 *   one sends it; the claim is released after the outcome is recorded, and the other replica, if
 *   it gets the claim later, sees in the stored state that nothing is owed any more (`stillOwed`);
 * - before a new incident is posted, the attempt is recorded with its marker (`markPostAttempt`);
 *   the post carries the marker in its metadata. If Slack's answer is lost (timeout, 5xx,
 *   shutdown), the next try first looks for the marker in the channel and adopts the message it
 *   finds, so a late success is kept, never posted twice.
 */
import { type AlertAction, clone, findIncident } from './evaluate.js';
import type { AlertState, Incident } from './state.js';

/** A claim older than this (its process died mid-send) may be taken over. */
export const ALERT_CLAIM_STALE_MS = 2 * 60_000;

/** The store claim that makes one process send `action`; null when it needs none (an idempotent update). */
export function claimName(action: AlertAction): string | null {
  return action.kind === 'update' ? null : `alert:${action.incident.number}:${action.kind}`;
}

/** The marker a posted incident carries: unique per workspace and incident. */
export function incidentMarker(team: string, incident: Pick<Incident, 'number' | 'opened_at'>): string {
  return `incident:${team}:${incident.number}:${incident.opened_at}`;
}

/** Whether the stored state still owes `action` (another process may have sent it meanwhile). */
export function stillOwed(state: AlertState, action: AlertAction): Incident | null {
  const incident = findIncident(state, action.rule, action.incident.number);
  if (!incident) return null;
  switch (action.kind) {
    case 'open':
      return incident.message_ts === undefined ? incident : null;
    case 'resolve':
      return incident.resolve_pending ? incident : null;
    case 'repeat':
      return incident.message_ts !== undefined && incident.last_reply_at === action.incident.last_reply_at
        ? incident
        : null;
    case 'update':
      return incident.message_ts !== undefined ? incident : null;
  }
}

/** Records that a post of the incident is being sent with `marker`, before it is sent. */
export function markPostAttempt(
  state: AlertState,
  action: AlertAction,
  attempt: { at: string; marker: string },
): AlertState {
  const next = clone(state);
  const incident = findIncident(next, action.rule, action.incident.number);
  if (incident) incident.post_attempt = attempt;
  return next;
}
