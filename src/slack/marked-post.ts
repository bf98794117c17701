/**
 * Posts that must appear once (alert incidents, scheduled digests) carry a marker in Slack's
 * message metadata. When a post's answer is lost (a timeout, a 5xx, a shutdown), the caller does
 * not post again blindly: it first looks for its marker in the channel's recent history and adopts
 * the message it finds, so a late success is kept rather than duplicated.
 */
import type { SlackMessage } from '../blocks/kit.js';
import { isSlackCallError, type SlackDelivery } from './delivery.js';

export const MARKER_EVENT_TYPE = 'apollo_dashboard_post';

/** The message with its marker in `metadata` (Slack shows it to apps only). */
export function withMarker<T extends SlackMessage>(
  message: T,
  marker: string,
): T & { metadata: { event_type: string; event_payload: { marker: string } } } {
  return { ...message, metadata: { event_type: MARKER_EVENT_TYPE, event_payload: { marker } } };
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { marker?: unknown } };
}

/**
 * Like `findMarkedPost`, but when Slack refuses the lookup itself (a workspace that has not granted
 * the history scopes yet, a channel the bot cannot read) it answers null: a possible duplicate is
 * better than an alert never sent. A lookup that times out still throws (post nothing blind then).
 */
export async function findMarkedPostOrNone(
  slack: SlackDelivery,
  options: { channel: string; marker: string; since: Date; onRefused?: (error: unknown) => void },
): Promise<string | null> {
  try {
    return await findMarkedPost(slack, options);
  } catch (error) {
    if (isSlackCallError(error)) throw error;
    options.onRefused?.(error);
    return null;
  }
}

/**
 * The ts of the channel's message carrying `marker`, posted since `since` (a minute of clock skew
 * allowed), or null. A read: safe to repeat; throws when Slack cannot be asked.
 */
export async function findMarkedPost(
  slack: SlackDelivery,
  options: { channel: string; marker: string; since: Date },
): Promise<string | null> {
  const oldest = Math.max(0, Math.floor(options.since.getTime() / 1000) - 60);
  const res = (await slack.call(
    'conversations.history',
    { channel: options.channel, oldest: String(oldest), include_all_metadata: true, limit: 200 },
    { safe: true, key: options.channel, what: 'history lookup' },
  )) as { messages?: HistoryMessage[] };
  const hit = (res.messages ?? []).find(
    (m) =>
      m.metadata?.event_type === MARKER_EVENT_TYPE && m.metadata.event_payload?.marker === options.marker,
  );
  return hit?.ts ?? null;
}
