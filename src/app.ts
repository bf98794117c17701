/** Builds the Bolt app: receiver (HTTP or Socket Mode), listeners and extra routes. */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, type Logger } from '@slack/bolt';
import type { Config } from './config.js';
import type { Feature, FeatureContext, RunStoredEvent } from './feature.js';
import { defaultFeatures } from './features.js';
import { buildRoutes } from './http/routes.js';
import { registerActions } from './listeners/actions.js';
import { registerCommand } from './listeners/command.js';
import { type Deps, describeError } from './listeners/deps.js';
import { registerUploadView } from './listeners/upload-view.js';
import type { Store } from './store/store.js';

export interface RunningApp {
  app: App;
  deps: Deps;
  /** Starts listening; returns the HTTP port actually bound (useful with PORT=0). */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

export function createApp(options: {
  config: Config;
  store: Store;
  logger: Logger;
  now?: () => Date;
  features?: readonly Feature[];
}): RunningApp {
  const { config, store, logger } = options;
  const features = options.features ?? defaultFeatures();
  const runStored = async (event: RunStoredEvent) => {
    for (const feature of features) {
      if (!feature.onRunStored) continue;
      try {
        await feature.onRunStored(event, ctx);
      } catch (error) {
        logger.error(`${feature.name} after run ${event.run.run_id}: ${describeError(error)}`);
      }
    }
  };
  const dashboardNotes = async (team: string) => {
    const notes: string[] = [];
    for (const feature of features) {
      if (!feature.dashboardNotes) continue;
      try {
        notes.push(...(await feature.dashboardNotes(team, ctx)));
      } catch (error) {
        logger.error(`${feature.name} dashboard notes: ${describeError(error)}`);
      }
    }
    return notes;
  };
  const settingsChanged = async (team: string) => {
    for (const feature of features) {
      try {
        await feature.onSettingsChanged?.(team, ctx);
      } catch (error) {
        logger.error(`${feature.name} after a settings change: ${describeError(error)}`);
      }
    }
  };
  const deps: Deps = {
    config,
    store,
    logger,
    now: options.now ?? (() => new Date()),
    runStored,
    settingsChanged,
    dashboardNotes,
  };
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
  const ctx: FeatureContext = {
    deps,
    get client() {
      return app.client;
    },
    teamId,
  };
  const customRoutes: CustomRoute[] = [
    ...buildRoutes({ deps, teamId }),
    ...features.flatMap((f) => f.routes?.(ctx) ?? []),
  ];
  const clientOptions = config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {};
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
  registerCommand(
    app,
    deps,
    features.flatMap((f) => f.subcommands ?? []),
  );
  registerActions(app, deps);
  registerUploadView(app, deps);
  for (const feature of features) feature.register?.(app, ctx);
  app.error(async (error) => {
    logger.error(`Unhandled listener error: ${describeError(error.original ?? error)}`);
  });

  return {
    app,
    deps,
    async start() {
      // Listen first, so Slack is answered while features start (the digest may post a late send).
      let port = config.port;
      if (socketMode) {
        await app.start();
        logger.info(`Connected in Socket Mode; health and ingest routes on port ${config.port}.`);
      } else {
        const server = (await app.start({ port: config.port, host: config.host })) as Server;
        port = (server.address() as AddressInfo).port;
        logger.info(`Listening on ${config.host}:${port} (Slack requests at /slack/events).`);
      }
      for (const feature of features) {
        try {
          await feature.start?.(ctx);
        } catch (error) {
          logger.error(`${feature.name} failed to start: ${describeError(error)}`);
        }
      }
      return { port };
    },
    async stop() {
      for (const feature of features) await feature.stop?.();
      await app.stop();
    },
  };
}
