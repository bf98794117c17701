/** What every listener, route and feature edge is handed, and who may change settings. */
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { ADMIN_REFUSAL, AppError } from '../errors.js';
import type { RunPreparer } from '../services/ingest.js';
import type { SaveRunResult, Store } from '../store/store.js';
import type { SlackDelivery } from './delivery.js';

/** `now` is injected so tests control the clock. */
export interface Deps {
  config: Config;
  store: Store;
  logger: Logger;
  now: () => Date;
  /** Where uploads are parsed and aggregated (a worker pool); in-process when absent. */
  prepareRun?: RunPreparer;
  /**
   * The heavy lane: digests and exports built in a worker thread that reads the store itself, so
   * they never hold other users' acks (see workers/heavy-worker.ts). In-process when absent. Each
   * feature posts its own job kind and knows the shape of its answer.
   */
  heavy?: HeavyLane;
}

/** A job for the heavy lane: `kind` names what the worker runs (`digest`, `export`). */
export type HeavyLane = (job: { kind: 'digest' | 'export'; job: unknown }) => Promise<unknown>;

/**
 * What a feature's edge needs besides `Deps`. Every send outside a Slack request (scheduled work,
 * alerts after an API upload) goes through `clientFor(team)`, so it carries that workspace's token.
 * Inside a request, use the client Bolt hands the listener (it is authorized for the request's team).
 */
export interface EdgeContext {
  deps: Deps;
  /**
   * The bot token serving the workspace: single-workspace mode SLACK_BOT_TOKEN; distributed mode its
   * installation's (or its org's). Null when the workspace has not installed the app or uninstalled it.
   */
  botTokenFor: (team: string) => Promise<string | null>;
  /** A Web API client with `botTokenFor(team)`, or null when there is no token. */
  clientFor: (team: string) => Promise<WebClient | null>;
  /** The workspace an ingest request writes into, from its bearer token, or null when it is not valid. */
  ingestTeam: (bearer: string | undefined) => Promise<string | null>;
  /** The delivery policy around `clientFor(team)`: every send outside a request goes through it. */
  slackFor: (team: string) => Promise<SlackDelivery | null>;
  /** The delivery policy around a given client (the one Bolt hands a listener). */
  slackOf: (client: WebClient) => SlackDelivery;
}

/** A run that has just been stored, whichever way it came in (Slack form, ingest API). */
export interface RunStoredEvent {
  team: string;
  runId: string;
  result: SaveRunResult;
}

export function isAdmin(config: Config, userId: string): boolean {
  return config.adminUserIds.length === 0 || config.adminUserIds.includes(userId);
}

/** Throws `forbidden` with the admin refusal unless the user may change settings. */
export function requireAdmin(config: Config, userId: string): void {
  if (!isAdmin(config, userId)) throw new AppError('forbidden', ADMIN_REFUSAL);
}
