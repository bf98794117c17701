/**
 * Builds the Bolt app: the receiver (HTTP or Socket Mode), the core listeners, and each feature by
 * name. Cross-feature flows are plain arguments, so this file answers "what happens when…":
 * a stored run is judged by alerts, the dashboard shows alerts' notes, the digest counts alerts'
 * incidents, and a settings change reschedules the digest.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger } from '@slack/bolt';
import type { Config } from './config.js';
import { createAlerts } from './features/alerts/index.js';
import { createCampaigns } from './features/campaigns/index.js';
import { createDigest } from './features/digest/index.js';
import { exportSubcommand } from './features/exports/index.js';
import { USAGE_LINES } from './help.js';
import { buildRoutes } from './http/routes.js';
import { registerActions } from './slack/actions.js';
import { coreCommands } from './slack/commands.js';
import {
  createSlackDelivery,
  DEFAULT_SLACK_POLICY,
  type SlackDelivery,
  type SlackPolicy,
  slackClientOptions,
} from './slack/delivery.js';
import type { Deps, EdgeContext, RunStoredEvent } from './slack/deps.js';
import { describeError } from './slack/errors.js';
import { registerCommand } from './slack/router.js';
import { registerUploadView } from './slack/upload-view.js';
import type { Store } from './store/store.js';

/** Besides start-up, orphaned run data is looked for this often. */
const RECLAIM_EVERY_MS = 6 * 3_600_000;

export interface RunningApp {
  app: App;
  deps: Deps;
  /** Starts listening; returns the HTTP port actually bound (useful with PORT=0). */
  start(): Promise<{ port: number }>;
  /** Waits for the work started after a request was answered (alert evaluation and delivery). */
  settle(): Promise<void>;
  /** Ends Slack calls at once (their outcome is recorded as undelivered), finishes store work, stops. */
  stop(): Promise<void>;
}

export function createApp(options: {
  config: Config;
  store: Store;
  logger: Logger;
  now?: () => Date;
  /** Timeouts and retries of every Slack call (tests shorten them). */
  slackPolicy?: Partial<SlackPolicy>;
  /** How often the digest re-reads every workspace's stored schedule (replicas follow a change). */
  digestResyncMs?: number;
  /** How often orphaned run data (from uploads a crash interrupted) is looked for, besides start-up. */
  reclaimEveryMs?: number;
}): RunningApp {
  const { config, store, logger } = options;
  const slackPolicy: SlackPolicy = { ...DEFAULT_SLACK_POLICY, ...options.slackPolicy };
  let slack: SlackDelivery | undefined;
  const slackOf = (): SlackDelivery => {
    slack ??= createSlackDelivery(app.client, { policy: slackPolicy, logger });
    return slack;
  };
  const deps: Deps = { config, store, logger, now: options.now ?? (() => new Date()) };

  let teamPromise: Promise<string> | undefined;
  const teamId = (): Promise<string> => {
    teamPromise ??= app.client.auth.test().then(
      (r): string => {
        if (!r.team_id) throw new Error('auth.test returned no team_id');
        return r.team_id;
      },
      (error: unknown) => {
        teamPromise = undefined;
        throw error;
      },
    );
    return teamPromise;
  };
  // The client is only read once the app exists; features receive this context lazily.
  const edge: EdgeContext = {
    deps,
    get client() {
      return app.client;
    },
    get slack() {
      return slackOf();
    },
    teamId,
  };

  // The features, by name.
  const alerts = createAlerts(edge);
  const digest = createDigest(edge, {
    incidents: alerts.incidentsInWindow,
    notes: (team) => dashboardNotes(team),
    ...(options.digestResyncMs !== undefined ? { resyncMs: options.digestResyncMs } : {}),
  });
  const campaigns = createCampaigns(edge);

  // Cross-feature flows: never let one feature's failure fail the request that triggered it.
  // Alerts run after the answer: an upload is never kept waiting on Slack.
  const background = new Set<Promise<void>>();
  const onStored = async (event: RunStoredEvent): Promise<void> => {
    const work = alerts.evaluateStoredRun(event).catch((error: unknown) => {
      logger.error(`alerts after run ${event.run.run_id}: ${describeError(error)}`);
    });
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  const settle = async (): Promise<void> => {
    while (background.size > 0) await Promise.all([...background]);
  };
  const dashboardNotes = async (team: string): Promise<string[]> => {
    try {
      return await alerts.dashboardNotes(team);
    } catch (error) {
      logger.error(`alerts dashboard notes: ${describeError(error)}`);
      return [];
    }
  };
  const onSettingsChanged = async (team: string): Promise<void> => {
    try {
      await digest.reschedule(team);
    } catch (error) {
      logger.error(`digest after a settings change: ${describeError(error)}`);
    }
  };

  const customRoutes = [...buildRoutes({ deps, teamId, onStored }), ...campaigns.routes()];
  const clientOptions = {
    ...slackClientOptions(slackPolicy),
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  };
  const socketMode = config.appToken !== undefined;
  const app = socketMode
    ? new App({
        token: config.botToken,
        appToken: config.appToken,
        socketMode: true,
        logger,
        clientOptions,
        customRoutes,
        installerOptions: { port: config.port },
      })
    : new App({
        token: config.botToken,
        signingSecret: config.signingSecret ?? '',
        logger,
        clientOptions,
        customRoutes,
      });

  const core = coreCommands({ usage: USAGE_LINES, notes: dashboardNotes, onSettingsChanged });
  registerCommand(app, deps, {
    subcommands: [
      ...core.subcommands,
      digest.subcommand,
      exportSubcommand,
      campaigns.subcommand,
      alerts.subcommand,
    ],
    fallback: core.fallback,
    usage: USAGE_LINES,
    slack: slackOf,
  });
  registerActions(app, deps);
  registerUploadView(app, deps, { onStored, slack: slackOf });
  digest.register(app);
  campaigns.register(app);
  alerts.register(app);
  app.error(async (error) => {
    logger.error(`Unhandled listener error: ${describeError(error.original ?? error)}`);
  });

  // Store hygiene: data of uploads a crash interrupted is found and removed, size logged.
  let reclaimTimer: NodeJS.Timeout | undefined;
  const reclaim = async (): Promise<void> => {
    try {
      const { records, bytes } = await store.reclaimOrphans();
      if (records > 0)
        logger.info(
          `Reclaimed ${records} orphaned run record${records === 1 ? '' : 's'} (${(bytes / 1048576).toFixed(2)} MiB) left by interrupted uploads.`,
        );
    } catch (error) {
      logger.error(`Reclaiming orphaned run data failed: ${describeError(error)}`);
    }
  };

  return {
    app,
    deps,
    async start() {
      await reclaim();
      reclaimTimer = setInterval(() => void reclaim(), options.reclaimEveryMs ?? RECLAIM_EVERY_MS);
      reclaimTimer.unref();
      // Listen first, so Slack is answered while the digest starts (it may post a late send).
      let port = config.port;
      if (socketMode) {
        await app.start();
        logger.info(`Connected in Socket Mode; health and ingest routes on port ${config.port}.`);
      } else {
        const server = (await app.start({ port: config.port, host: config.host })) as Server;
        port = (server.address() as AddressInfo).port;
        logger.info(`Listening on ${config.host}:${port} (Slack requests at /slack/events).`);
      }
      try {
        await digest.start();
      } catch (error) {
        logger.error(`digest failed to start: ${describeError(error)}`);
      }
      return { port };
    },
    settle,
    async stop() {
      clearInterval(reclaimTimer);
      // Slack first: every pending call ends now and is recorded as not delivered (retried later,
      // looked up by its marker before any re-post), so the store work behind it can finish.
      slack?.close();
      await digest.stop();
      await settle();
      await alerts.stop();
      await app.stop();
    },
  };
}
