/** Wiring only: config -> store -> app -> start. */
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';
import { createLogger } from './logger.js';
import { openStore } from './store/open-store.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (isAppError(error, 'config_invalid')) {
      process.stderr.write(`apollo-dashboard cannot start.\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const secrets = [config.botToken, config.signingSecret, config.appToken, config.ingestToken].filter(
    (s): s is string => typeof s === 'string',
  );
  const logger = createLogger({ level: config.logLevel, secrets });
  const store = await openStore({
    url: config.storeUrl,
    app: true,
    onError: (e) => logger.error(`Store error: ${e instanceof Error ? e.message : String(e)}`),
  });
  const running = createApp({ config, store, logger });
  process.on('unhandledRejection', (reason) => {
    logger.error(`Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  });
  const shutdown = async (signal: string) => {
    logger.info(`${signal}: shutting down.`);
    await running.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await running.start();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `apollo-dashboard failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
