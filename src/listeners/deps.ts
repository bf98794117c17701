import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { RunStoredEvent } from '../feature.js';
import type { Store } from '../store/store.js';

/** What every listener and route is handed. `now` is injected so tests control the clock. */
export interface Deps {
  config: Config;
  store: Store;
  logger: Logger;
  now: () => Date;
  /** Tells every feature that a run was stored (alerts evaluate it); never throws. */
  runStored: (event: RunStoredEvent) => Promise<void>;
  /** Tells every feature the workspace's settings changed; never throws. */
  settingsChanged: (team: string) => Promise<void>;
  /** Notes every feature wants under the dashboard for this workspace; never throws. */
  dashboardNotes: (team: string) => Promise<string[]>;
}

export function isAdmin(config: Config, userId: string): boolean {
  return config.adminUserIds.length === 0 || config.adminUserIds.includes(userId);
}

export const ADMIN_REFUSAL = 'Only the app admins (ADMIN_USER_IDS) can do that. Ask one of them.';

/** The Slack error code of a failed Web API call (`not_in_channel`, `ratelimited`, …), if any. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** A log line for an error: message and code only, never request bodies or tokens. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const slack = slackErrorCode(error);
    return [error.name, typeof code === 'string' ? code : '', slack ?? '', error.message]
      .filter(Boolean)
      .join(': ');
  }
  return String(error);
}

/** Throws `forbidden` with the admin refusal unless the user may change settings. */
export function requireAdmin(config: Config, userId: string): void {
  if (!isAdmin(config, userId)) throw new AppError('forbidden', ADMIN_REFUSAL);
}

/** What to tell a person when the bot is not in the channel it was asked to post to; null otherwise. */
export function notInChannelHint(code: string | undefined): string | null {
  if (code === 'not_in_channel' || code === 'channel_not_found') {
    return `I'm not in this channel yet. Type \`/invite @Apollo Dashboard\` there, then try again.`;
  }
  return null;
}
