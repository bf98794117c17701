/**
 * The workspace the bot token belongs to, without a Slack round trip per request: learned once (at
 * start-up, by `auth.test` with a short timeout) and kept in the store, so a restart while Slack is
 * unreachable still knows it. When it truly cannot be known, `teamId()` rejects within the timeout
 * with `workspace_unknown` (the ingest API answers 503 with Retry-After) instead of hanging.
 */
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Store } from '../store/store.js';
import { describeError } from './errors.js';

export const WORKSPACE_TIMEOUT_MS = 3000;

/**
 * Where the workspace is kept: a document of a reserved workspace (a leading `_` is never a Slack
 * team id), so deleting a real workspace's data never removes it.
 */
export const APP_NAMESPACE = '_app';
export const BOT_TEAM_DOC = 'bot-team';
const botTeamSchema = z.object({ team: z.string().min(1) });

export async function readBotTeam(store: Store): Promise<string | null> {
  return (await store.getDocument(APP_NAMESPACE, BOT_TEAM_DOC, botTeamSchema))?.team ?? null;
}

export async function keepBotTeam(store: Store, team: string): Promise<void> {
  await store.updateDocument(APP_NAMESPACE, BOT_TEAM_DOC, botTeamSchema, () => ({
    value: { team },
    result: undefined,
  }));
}

export interface WorkspaceResolver {
  teamId(): Promise<string>;
  /** Starts learning in the background (start-up); never rejects. */
  learn(): Promise<void>;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createWorkspaceResolver(options: {
  store: Store;
  logger: Logger;
  /** auth.test: a client without retries, so a timeout is a timeout. */
  authTest: () => Promise<{ team_id?: string }>;
  timeoutMs?: number;
}): WorkspaceResolver {
  const { store, logger } = options;
  const timeoutMs = options.timeoutMs ?? WORKSPACE_TIMEOUT_MS;
  let known: string | undefined;
  let pending: Promise<string> | undefined;

  const ask = async (): Promise<string> => {
    const result = await withTimeout(options.authTest(), timeoutMs);
    if (!result.team_id) throw new Error('auth.test returned no team_id');
    if (result.team_id !== known) {
      known = result.team_id;
      await keepBotTeam(store, result.team_id).catch((error: unknown) => {
        logger.warn(`Could not keep the workspace id in the store: ${describeError(error)}`);
      });
    }
    return result.team_id;
  };

  const resolve = (): Promise<string> => {
    pending ??= (async () => {
      const stored = await readBotTeam(store).catch(() => null);
      if (stored) {
        known ??= stored;
        // Confirm in the background (a token moved to another workspace is rare, but then we follow it).
        void ask().catch((error: unknown) => logger.warn(`auth.test: ${describeError(error)}`));
        return known;
      }
      try {
        return await ask();
      } catch (error) {
        throw new AppError(
          'workspace_unknown',
          `The app does not know its Slack workspace yet (Slack did not answer auth.test: ${describeError(error)}).`,
          { cause: error },
        );
      }
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return {
    teamId: () => (known === undefined ? resolve() : Promise.resolve(known)),
    learn: async () => {
      try {
        const team = await resolve();
        logger.info(`Workspace ${team} known.`);
      } catch (error) {
        logger.warn(`${describeError(error)} The ingest API answers 503 until it is known.`);
      }
    },
  };
}
