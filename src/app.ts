/** Builds the Bolt app: receiver (HTTP or Socket Mode), listeners and extra routes. */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger } from '@slack/bolt';
import type { Config } from './config.js';
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
}): RunningApp {
  const { config, store, logger } = options;
  const deps: Deps = { config, store, logger, now: options.now ?? (() => new Date()) };
  let teamPromise: Promise<string> | undefined;
  const teamId = () => {
    teamPromise ??= app.client.auth.test().then(
      (r) => {
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
  const customRoutes = buildRoutes({ deps, teamId });
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
  registerCommand(app, deps);
  registerActions(app, deps);
  registerUploadView(app, deps);
  app.error(async (error) => {
    logger.error(`Unhandled listener error: ${describeError(error.original ?? error)}`);
  });

  return {
    app,
    deps,
    async start() {
      if (socketMode) {
        await app.start();
        logger.info(`Connected in Socket Mode; health and ingest routes on port ${config.port}.`);
        return { port: config.port };
      }
      const server = (await app.start({ port: config.port, host: config.host })) as Server;
      const port = (server.address() as AddressInfo).port;
      logger.info(`Listening on ${config.host}:${port} (Slack requests at /slack/events).`);
      return { port };
    },
    async stop() {
      await app.stop();
    },
  };
}
