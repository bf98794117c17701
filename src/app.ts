/**
 * Builds the Bolt app: the receiver (HTTP or Socket Mode), the core listeners, and each feature by
 * name. Cross-feature flows are plain arguments, so this file answers "what happens when…":
 * a stored run is judged by alerts, the dashboard shows alerts' notes, the digest counts alerts'
 * incidents, and a settings change reschedules the digest.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { App, type AuthorizeResult, HTTPReceiver, type Logger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { DashboardAlerts } from './blocks/dashboard.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import { createAlerts } from './features/alerts/index.js';
import { createCampaigns } from './features/campaigns/index.js';
import { createDigest } from './features/digest/index.js';
import { exportSubcommand, postTier1Csv } from './features/exports/index.js';
import { createHome } from './features/home/index.js';
import { USAGE_GROUPS, USAGE_LINES } from './help.js';
import { buildRoutes, tokenMatches } from './http/routes.js';
import { BOT_SCOPES, INSTALL_PATH, OAUTH_REDIRECT_PATH, SLACK_EVENTS_PATH } from './ids.js';
import type { PreparedRun, PrepareJob } from './services/ingest.js';
import { registerActions } from './slack/actions.js';
import { coreCommands } from './slack/commands.js';
import { registerDashboardActions } from './slack/dashboard-actions.js';
import {
  createSlackDeliveries,
  DEFAULT_SLACK_POLICY,
  type SlackDelivery,
  type SlackPolicy,
  slackClientOptions,
} from './slack/delivery.js';
import type { Deps, EdgeContext, RunStoredEvent } from './slack/deps.js';
import { describeError } from './slack/errors.js';
import { createIngestKeys, INGEST_KEYS_DOC } from './slack/ingest-keys.js';
import {
  createInstallations,
  INSTALLATION_DOC,
  INSTALLATION_LINK_DOC,
  type Installations,
} from './slack/installations.js';
import { registerCommand } from './slack/router.js';
import { withSignatureWindow } from './slack/signature-window.js';
import { registerUploadView } from './slack/upload-view.js';
import { createWorkspaceResolver, WORKSPACE_TIMEOUT_MS } from './slack/workspace.js';
import type { Store } from './store/store.js';
import { createTokenCipher } from './store/token-cipher.js';
import type { HeavyJob, HeavyWorkerData } from './workers/heavy-worker.js';
import { createWorkerPool, workerFile } from './workers/pool.js';

/** How often uninstalled workspaces are checked for data past its retention. */
const PURGE_INTERVAL_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** Besides start-up, orphaned run data is looked for this often. */
const RECLAIM_EVERY_MS = 6 * 3_600_000;

export interface RunningApp {
  app: App;
  deps: Deps;
  /** The per-workspace client lookup every send outside a Slack request uses (null: not installed). */
  clientFor(team: string): Promise<WebClient | null>;
  /**
   * Distributed mode: deletes the data of workspaces uninstalled more than the retention period ago
   * (runs hourly while started); returns the workspaces deleted.
   */
  purgeUninstalled(): Promise<string[]>;
  /** Starts listening; returns the HTTP port actually bound (useful with PORT=0). */
  start(): Promise<{ port: number }>;
  /** Waits for the work started after a request was answered (alert evaluation and delivery). */
  settle(): Promise<void>;
  /** Ends Slack calls at once (their outcome is recorded as undelivered), finishes store work, stops. */
  stop(): Promise<void>;
}

export interface UploadLane {
  /** Worker threads. */
  size: number;
  /** Uploads that may wait, and their total bytes: past either, `busy`. */
  maxQueue: number;
  maxQueuedBytes: number;
  /** Digests and exports that may wait for the heavy lane's worker: past it, `busy`. */
  maxHeavyQueue: number;
}

/** One worker leaves the other core to the event loop; 100 uploads or 64 MiB may wait. */
export const DEFAULT_UPLOAD_LANE: UploadLane = {
  size: Math.max(1, Math.min(2, availableParallelism() - 1)),
  maxQueue: 100,
  maxQueuedBytes: 64 * 1024 * 1024,
  maxHeavyQueue: 20,
};

export function createApp(options: {
  config: Config;
  store: Store;
  logger: Logger;
  now?: () => Date;
  /** The upload lane: worker threads and how many uploads may wait (see workers/pool.ts). */
  uploadLane?: UploadLane;
  /** Timeouts and retries of every Slack call (tests shorten them). */
  slackPolicy?: Partial<SlackPolicy>;
  /** How often the digest re-reads every workspace's stored schedule (replicas follow a change). */
  digestResyncMs?: number;
  /** How often orphaned run data (from uploads a crash interrupted) is looked for, besides start-up. */
  reclaimEveryMs?: number;
}): RunningApp {
  const { config, store, logger } = options;
  const slackPolicy: SlackPolicy = { ...DEFAULT_SLACK_POLICY, ...options.slackPolicy };
  const deliveries = createSlackDeliveries({ policy: slackPolicy, logger });
  const lane = options.uploadLane ?? DEFAULT_UPLOAD_LANE;
  const uploads = createWorkerPool<PrepareJob, PreparedRun>({
    file: workerFile('ingest-worker', new URL('./workers/', import.meta.url).href),
    size: lane.size,
    maxQueue: lane.maxQueue,
    maxQueuedWeight: lane.maxQueuedBytes,
    weigh: (job) => (job as PrepareJob).upload.bytes.length,
    idleMs: 10_000,
    // A hostile upload can exhaust only its worker's heap, never the app's.
    resourceLimits: { maxOldGenerationSizeMb: 512 },
    busyMessage: 'The service is busy with other uploads; try again in a minute.',
  });
  // The heavy lane: digests and exports in one worker thread with its own store connection (an
  // in-memory SQLite store cannot be shared, so there they run in-process).
  const sharedStore = !/^sqlite:\/\/(:memory:)?$/.test(config.storeUrl);
  const heavy = sharedStore
    ? createWorkerPool<HeavyJob, unknown>({
        file: workerFile('heavy-worker', new URL('./workers/', import.meta.url).href),
        workerData: { storeUrl: config.storeUrl } satisfies HeavyWorkerData,
        size: 1,
        maxQueue: lane.maxHeavyQueue,
        idleMs: 30_000,
        resourceLimits: { maxOldGenerationSizeMb: 2048 },
        busyMessage: 'Other digests and exports are being built; try again in a minute.',
        outOfMemory: () =>
          new AppError('bad_command', 'That period holds too much to build at once; choose a shorter one.'),
      })
    : undefined;
  const deps: Deps = {
    config,
    store,
    logger,
    now: options.now ?? (() => new Date()),
    prepareRun: (job) => uploads.run(job),
    ...(heavy
      ? {
          heavy: async (job) => {
            const started = performance.now();
            const value = await heavy.run(job as HeavyJob);
            const what = job.kind === 'export' ? 'an export' : 'a digest';
            logger.info(`Built ${what} in the heavy lane in ${Math.round(performance.now() - started)} ms.`);
            return value;
          },
        }
      : {}),
  };

  // Distributed mode: installations in the store, tokens sealed with SLACK_TOKEN_KEY.
  const oauth = config.oauth;
  const installations: Installations | undefined = oauth
    ? createInstallations({ store, cipher: createTokenCipher(oauth.tokenKey), now: deps.now })
    : undefined;
  const ingestKeys = createIngestKeys({ store, now: deps.now });
  const clientOptions = {
    ...slackClientOptions(slackPolicy),
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  };

  /**
   * Single-workspace mode: the workspace the bot token belongs to, learned once at start-up and kept
   * in the store, so an upload never waits on Slack (see slack/workspace.ts). Distributed mode has no
   * such workspace: ingest keys name theirs.
   */
  const workspace = installations
    ? undefined
    : createWorkspaceResolver({
        store,
        logger,
        authTest: (() => {
          const probe = new WebClient(config.botToken, {
            ...clientOptions,
            logger,
            retryConfig: { retries: 0 },
            timeout: WORKSPACE_TIMEOUT_MS,
          });
          return () => probe.auth.test();
        })(),
      });
  /**
   * Single-workspace mode: one client with the bot token for scheduled work, and the authorize Bolt
   * uses for requests. Bolt's own token check calls auth.test once at construction and keeps a
   * failure for ever, so an app started while Slack was unreachable would refuse every request; this
   * keeps a success and asks again after a failure.
   */
  const singleClient =
    installations || !config.botToken
      ? undefined
      : new WebClient(config.botToken, { ...clientOptions, logger });
  let authorized: Promise<AuthorizeResult> | undefined;
  const authorizeSingle = (): Promise<AuthorizeResult> => {
    const token = config.botToken ?? '';
    authorized ??= (singleClient ?? new WebClient(token, { ...clientOptions, logger })).auth.test().then(
      (r): AuthorizeResult => ({
        botToken: token,
        ...(typeof r.bot_id === 'string' ? { botId: r.bot_id } : {}),
        ...(r.user_id ? { botUserId: r.user_id } : {}),
        ...(r.team_id ? { teamId: r.team_id } : {}),
        ...(r.enterprise_id ? { enterpriseId: r.enterprise_id } : {}),
      }),
      (error: unknown) => {
        authorized = undefined;
        throw error;
      },
    );
    return authorized;
  };
  const botTokenFor = async (team: string): Promise<string | null> =>
    installations ? installations.botTokenFor(team) : (config.botToken ?? null);
  /** One client per token; read from the store each time, so another replica's install counts at once. */
  const clients = new Map<string, WebClient>();
  const clientFor = async (team: string): Promise<WebClient | null> => {
    if (!installations) return singleClient ?? app.client;
    const token = await installations.botTokenFor(team);
    if (token === null) return null;
    let client = clients.get(token);
    if (!client) {
      client = new WebClient(token, { ...clientOptions, logger });
      clients.set(token, client);
    }
    return client;
  };
  const ingestTeam = async (bearer: string | undefined): Promise<string | null> => {
    if (!bearer) return null;
    // INGEST_TOKEN is the single workspace's; in distributed mode only ingest keys name a workspace.
    if (workspace && config.ingestToken && tokenMatches(bearer, config.ingestToken))
      return workspace.teamId();
    const team = await ingestKeys.teamOf(bearer);
    if (team === null) return null;
    return (await botTokenFor(team)) === null ? null : team;
  };
  const slackFor = async (team: string): Promise<SlackDelivery | null> => {
    const client = await clientFor(team);
    return client ? deliveries.of(client) : null;
  };
  const edge: EdgeContext = {
    deps,
    botTokenFor,
    clientFor,
    slackFor,
    slackOf: (client) => deliveries.of(client),
    ingestTeam,
  };

  // The features, by name.
  const alerts = createAlerts(edge);
  const digest = createDigest(edge, {
    incidents: alerts.incidentsInWindow,
    notes: (team) => dashboardNotes(team),
    ...(options.digestResyncMs !== undefined ? { resyncMs: options.digestResyncMs } : {}),
  });
  const campaigns = createCampaigns(edge);
  const home = createHome(edge, { notes: (team) => dashboardNotes(team) });

  // Cross-feature flows: never let one feature's failure fail the request that triggered it.
  // Alerts run after the answer: an upload is never kept waiting on Slack.
  const background = new Set<Promise<void>>();
  const onStored = async (event: RunStoredEvent): Promise<void> => {
    const work = (async () => {
      try {
        await alerts.evaluateStoredRun(event);
      } catch (error) {
        logger.error(`alerts after run ${event.runId}: ${describeError(error)}`);
      }
      // After the alerts, so the Home tab shows the incidents this run opened or resolved.
      try {
        await home.refresh(event.team);
      } catch (error) {
        logger.error(`App Home after run ${event.runId}: ${describeError(error)}`);
      }
    })();
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  const settle = async (): Promise<void> => {
    while (background.size > 0) await Promise.all([...background]);
  };
  const onDeleted = async (team: string, runId: string): Promise<void> => {
    try {
      await alerts.runDeleted(team, runId);
    } catch (error) {
      logger.error(`alerts after deleting run ${runId}: ${describeError(error)}`);
    }
  };
  const dashboardNotes = async (team: string): Promise<DashboardAlerts> => {
    try {
      return await alerts.dashboardNotes(team);
    } catch (error) {
      logger.error(`alerts dashboard notes: ${describeError(error)}`);
      return { notes: [], open: [] };
    }
  };
  const onSettingsChanged = async (team: string): Promise<void> => {
    try {
      await digest.reschedule(team);
    } catch (error) {
      logger.error(`digest after a settings change: ${describeError(error)}`);
    }
  };

  /** Deletes the workspace's data now; its installation and ingest keys stay. */
  const deleteWorkspaceData = async (team: string): Promise<void> => {
    await store.deleteWorkspace(team, {
      keepDocuments: [INSTALLATION_DOC, INSTALLATION_LINK_DOC, INGEST_KEYS_DOC],
    });
    logger.info(`Deleted the data of ${team} on request.`);
    await onSettingsChanged(team);
  };

  const customRoutes = [...buildRoutes({ deps, authenticate: ingestTeam, onStored }), ...campaigns.routes()];
  const socketMode = config.appToken !== undefined;
  const app = oauth
    ? new App({
        signingSecret: config.signingSecret ?? '',
        logger,
        clientOptions,
        customRoutes,
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        stateSecret: oauth.stateSecret,
        scopes: [...BOT_SCOPES],
        installationStore: installations?.boltStore,
        ...(oauth.redirectUrl ? { redirectUri: oauth.redirectUrl } : {}),
        installerOptions: {
          installPath: INSTALL_PATH,
          redirectUriPath: OAUTH_REDIRECT_PATH,
          directInstall: true,
          stateVerification: true,
          callbackOptions: {
            afterInstallation: async (installation) => {
              const where = installation.isEnterpriseInstall
                ? `org ${installation.enterprise?.id}`
                : `workspace ${installation.team?.id}`;
              logger.info(`Installed in ${where}.`);
              return true;
            },
          },
        },
      })
    : socketMode
      ? new App({
          authorize: authorizeSingle,
          appToken: config.appToken,
          socketMode: true,
          logger,
          clientOptions,
          customRoutes,
          installerOptions: { port: config.port },
        })
      : new App({
          authorize: authorizeSingle,
          signingSecret: config.signingSecret ?? '',
          logger,
          clientOptions,
          customRoutes,
        });
  // The signature window both ways, checked before Bolt's own check (which looks only at the past):
  // Bolt builds its HTTP receiver itself (as configured above); its request listener is wrapped.
  // test/hostile.test.ts fails if a Bolt upgrade moves the receiver.
  const receiver = (app as unknown as { receiver?: unknown }).receiver;
  if (receiver instanceof HTTPReceiver) {
    receiver.requestListener = withSignatureWindow(receiver.requestListener, [SLACK_EVENTS_PATH]);
  } else if (!socketMode) {
    throw new Error('Bolt has no HTTP receiver to guard; the signature window check cannot be installed.');
  }

  const core = coreCommands({
    usage: USAGE_LINES,
    helpGroups: USAGE_GROUPS,
    notes: dashboardNotes,
    onSettingsChanged,
    ingestKeys,
    deleteWorkspaceData,
  });
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
    slack: (client) => deliveries.of(client),
  });
  registerActions(app, deps, { onDeleted });
  registerDashboardActions(app, deps, {
    notes: dashboardNotes,
    alertsStatus: (team) => alerts.statusMessage(team),
    tier1Csv: postTier1Csv,
    slack: (client) => deliveries.of(client),
  });
  registerUploadView(app, deps, { onStored, slack: (client) => deliveries.of(client) });
  digest.register(app);
  campaigns.register(app);
  alerts.register(app);
  home.register(app);
  if (installations) registerUninstall(app, { installations, logger, afterUninstall });
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
  /** Tokens are gone: stop the workspace's (or the whole org's) scheduled work. */
  async function afterUninstall(source: { teamId?: string; isEnterpriseInstall: boolean }): Promise<void> {
    clients.clear();
    const teams =
      source.isEnterpriseInstall || !source.teamId ? await store.listWorkspaces() : [source.teamId];
    for (const team of teams) await onSettingsChanged(team);
  }

  async function purgeUninstalled(): Promise<string[]> {
    if (!installations || !oauth) return [];
    const now = deps.now().getTime();
    // Every status first: an org's record is deleted with the org, and its teams read it.
    const due: string[] = [];
    for (const team of await store.listWorkspaces()) {
      if (team.startsWith('_')) continue;
      const status = await installations.status(team);
      if (status.kind !== 'uninstalled') continue;
      if (now - status.since.getTime() >= oauth.retentionDays * DAY_MS) due.push(team);
    }
    for (const team of due) {
      await store.deleteWorkspace(team);
      logger.info(`Deleted the data of ${team}: uninstalled ${oauth.retentionDays} days ago or more.`);
    }
    return due;
  }
  let purgeTimer: NodeJS.Timeout | undefined;

  return {
    app,
    deps,
    clientFor,
    purgeUninstalled,
    async start() {
      await reclaim();
      reclaimTimer = setInterval(() => void reclaim(), options.reclaimEveryMs ?? RECLAIM_EVERY_MS);
      reclaimTimer.unref();
      // Listen first, so Slack is answered while the digest starts (it may post a late send).
      void workspace?.learn();
      // Ask Slack who the bot is now, so the first command does not wait on it (a failure is asked again).
      if (singleClient) authorizeSingle().catch(() => undefined);
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
      if (installations) {
        const purge = () =>
          purgeUninstalled().catch((error: unknown) =>
            logger.error(`Deleting uninstalled workspaces' data: ${describeError(error)}`),
          );
        await purge();
        purgeTimer = setInterval(() => void purge(), PURGE_INTERVAL_MS);
        purgeTimer.unref();
      }
      return { port };
    },
    settle,
    async stop() {
      if (purgeTimer) clearInterval(purgeTimer);
      purgeTimer = undefined;
      clearInterval(reclaimTimer);
      // Slack first: every pending call ends now and is recorded as not delivered (retried later,
      // looked up by its marker before any re-post), so the store work behind it can finish.
      deliveries.close();
      await uploads.close();
      await heavy?.close();
      await digest.stop();
      await settle();
      await alerts.stop();
      await app.stop();
    },
  };
}

/**
 * app_uninstalled and tokens_revoked (Bolt skips authorize for both): the tokens are dropped at
 * once and the workspace's scheduled work stops; its data is kept for the retention period.
 */
function registerUninstall(
  app: App,
  options: {
    installations: Installations;
    logger: Logger;
    afterUninstall: (source: { teamId?: string; isEnterpriseInstall: boolean }) => Promise<void>;
  },
): void {
  const { installations, logger } = options;
  const sourceOf = (
    body: {
      team_id?: string;
      enterprise_id?: string;
      authorizations?: Array<{ is_enterprise_install?: boolean }>;
    },
    context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean },
  ) => {
    const teamId = context.teamId ?? body.team_id;
    const enterpriseId = context.enterpriseId ?? body.enterprise_id;
    return {
      ...(teamId ? { teamId } : {}),
      ...(enterpriseId ? { enterpriseId } : {}),
      isEnterpriseInstall:
        body.authorizations?.[0]?.is_enterprise_install ?? context.isEnterpriseInstall ?? false,
    };
  };
  const uninstall = async (source: ReturnType<typeof sourceOf>, why: string) => {
    await installations.uninstall(source);
    logger.info(
      `${why}: tokens of ${source.isEnterpriseInstall ? source.enterpriseId : source.teamId} removed.`,
    );
    await options.afterUninstall(source);
  };
  app.event('app_uninstalled', async ({ body, context }) => {
    await uninstall(sourceOf(body, context), 'Uninstalled');
  });
  app.event('tokens_revoked', async ({ event, body, context }) => {
    const source = sourceOf(body, context);
    const botUser = await installations.botUserOf(source);
    if (botUser !== null && (event.tokens.bot ?? []).includes(botUser)) {
      await uninstall(source, 'Bot token revoked');
      return;
    }
    if ((event.tokens.oauth ?? []).length > 0)
      await installations.revokeUserTokens(source, event.tokens.oauth ?? []);
  });
}
