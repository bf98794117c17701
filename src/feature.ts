/**
 * A feature plugs into the app without the app knowing it: its subcommands, its Bolt listeners,
 * its HTTP routes, what it does after every stored run, and its background jobs.
 */
import type { App, CustomRoute } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Run } from './domain/model.js';
import type { Deps } from './listeners/deps.js';
import type { Subcommand } from './listeners/subcommand.js';
import type { SaveRunResult } from './store/store.js';

export interface RunStoredEvent {
  team: string;
  run: Run;
  result: SaveRunResult;
}

export interface FeatureContext {
  deps: Deps;
  client: WebClient;
  /** The workspace the bot token belongs to (auth.test), resolved once. */
  teamId: () => Promise<string>;
}

export interface Feature {
  name: string;
  subcommands?: readonly Subcommand[];
  register?(app: App, ctx: FeatureContext): void;
  routes?(ctx: FeatureContext): CustomRoute[];
  /** Runs after every stored run, whichever way it came in; errors are logged, never fail the upload. */
  onRunStored?(event: RunStoredEvent, ctx: FeatureContext): Promise<void>;
  /** Runs after the workspace's settings changed (e.g. its time zone). */
  onSettingsChanged?(team: string, ctx: FeatureContext): Promise<void>;
  /** Short lines shown under the dashboard (e.g. "Alerts are not routed anywhere"); mrkdwn, already escaped. */
  dashboardNotes?(team: string, ctx: FeatureContext): Promise<string[]>;
  /** Incidents opened and resolved in a window, for the weekly digest (alerts provide it). */
  digestIncidents?(
    team: string,
    window: { start: Date; end: Date },
    ctx: FeatureContext,
  ): Promise<{ opened: number; resolved: number; lines: string[] } | null>;
  start?(ctx: FeatureContext): Promise<void>;
  stop?(): Promise<void>;
}
