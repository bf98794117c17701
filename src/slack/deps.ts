/** What every listener, route and feature edge is handed, and who may change settings. */
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Run } from '../domain/model.js';
import { ADMIN_REFUSAL, AppError } from '../errors.js';
import type { SaveRunResult, Store } from '../store/store.js';
import type { SlackDelivery } from './delivery.js';

/** `now` is injected so tests control the clock. */
export interface Deps {
  config: Config;
  store: Store;
  logger: Logger;
  now: () => Date;
}

/** What a feature's edge needs besides `Deps`: the app's Web API client and the bot's workspace. */
export interface EdgeContext {
  deps: Deps;
  /** Read lazily: the Bolt app (and its client) exists only after the features are built. */
  readonly client: WebClient;
  /** The delivery policy around `client`: every call the feature makes goes through it. */
  readonly slack: SlackDelivery;
  /** The workspace the bot token belongs to (auth.test), resolved once. */
  teamId: () => Promise<string>;
}

/** A run that has just been stored, whichever way it came in (Slack form, ingest API). */
export interface RunStoredEvent {
  team: string;
  run: Run;
  result: SaveRunResult;
}

export function isAdmin(config: Config, userId: string): boolean {
  return config.adminUserIds.length === 0 || config.adminUserIds.includes(userId);
}

/** Throws `forbidden` with the admin refusal unless the user may change settings. */
export function requireAdmin(config: Config, userId: string): void {
  if (!isAdmin(config, userId)) throw new AppError('forbidden', ADMIN_REFUSAL);
}
