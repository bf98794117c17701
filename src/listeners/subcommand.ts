/**
 * Feature subcommands of `/apollo-dashboard` (campaign, alerts, digest, export…) plug in here, so
 * each feature owns its words without growing one big switch. The router in command.ts calls the
 * matching handler; the handler must ack first (within 3 s) and do slow work after.
 */
import type { AckFn, RespondArguments, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from './deps.js';

export interface CommandContext {
  deps: Deps;
  client: WebClient;
  ack: AckFn<string | RespondArguments>;
  respond: RespondFn;
  team: string;
  user: string;
  channel: string;
  triggerId: string;
  /** The whole command text as typed. */
  text: string;
  /** The words after the subcommand's name. */
  args: string[];
}

export interface Subcommand {
  /** The first word, lower case. */
  name: string;
  handle(ctx: CommandContext): Promise<void>;
}
