/** Wiring only: .env -> config -> store -> app -> start; SIGTERM/SIGINT -> stop within a deadline. */
import { createApp } from './app.js';
import { loadConfig, loadDotEnv } from './config.js';
import { isAppError } from './errors.js';
import { createLogger } from './logger.js';
import { openStore } from './store/open-store.js';

/** Below the 10 s a container runtime waits between SIGTERM and SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 4_000;

/** The password in a postgres:// STORE_URL, so the logger redacts it like the Slack secrets. */
function storePassword(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  let dotEnv: ReturnType<typeof loadDotEnv>;
  try {
    dotEnv = loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (isAppError(error, 'config_invalid')) {
      process.stderr.write(`apollo-dashboard cannot start.\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const secrets = [
    config.botToken,
    config.signingSecret,
    config.appToken,
    config.ingestToken,
    storePassword(config.storeUrl),
    config.oauth?.clientSecret,
    config.oauth?.stateSecret,
    config.oauth?.tokenKey.toString('base64'),
    config.oauth?.tokenKey.toString('hex'),
  ].filter((s): s is string => typeof s === 'string');
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, secrets });
  if (dotEnv)
    logger.info(`Read ${dotEnv.applied.length} variables from ${dotEnv.path} (the environment wins).`);
  const store = await openStore({
    url: config.storeUrl,
    app: true,
    onError: (e) => logger.error(`Store error: ${e instanceof Error ? e.message : String(e)}`),
  });
  const running = createApp({ config, store, logger });
  process.on('unhandledRejection', (reason) => {
    logger.error(`Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  });
  // Shutdown takes seconds whatever Slack does: running.stop() ends pending Slack calls at once
  // (recorded as not delivered, looked up by their marker before any re-post), store work finishes,
  // and the deadline ends the process if anything still hangs. Every store write is atomic.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    logger.info(`${signal}: shutting down.`);
    // Whatever Slack or the store is doing, the process ends within the deadline.
    setTimeout(() => {
      logger.error(`Not stopped ${SHUTDOWN_DEADLINE_MS} ms after ${signal}: exiting anyway.`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await running.stop().catch((e: unknown) => logger.error(`Stopping the app: ${String(e)}`));
    await store.close().catch((e: unknown) => logger.error(`Closing the store: ${String(e)}`));
    logger.info('Stopped.', { duration_ms: Date.now() - started });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await running.start();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `apollo-dashboard failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
