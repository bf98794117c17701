/**
 * `/apollo-dashboard`: one router table for every subcommand, core ones included. The first word
 * picks the handler; anything else is the dashboard for a period. A handler acks first (within 3 s)
 * and does slow work after; what it throws is answered here, in one place:
 * before the ack a usage error (`bad_command`, `forbidden`) answers with the usage; after the ack a
 * `bad_command` still gets the usage, anything else is reported as a failure.
 */
import type { AckFn, App, RespondArguments, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { renderCommandError } from '../blocks/help.js';
import { truncate } from '../blocks/kit.js';
import { closestWord, splitWords } from '../domain/command.js';

/** Period words a typo may be meant as. */
const PERIOD_WORDS = ['7d', '30d', '90d', 'all', 'last'] as const;

import { isAppError, isUsageError } from '../errors.js';
import { COMMAND } from '../ids.js';
import type { SlackDelivery } from './delivery.js';
import type { Deps } from './deps.js';
import { ephemeral, reportFailure } from './reply.js';

export interface CommandContext {
  deps: Deps;
  client: WebClient;
  /** The delivery policy: every Web API call goes through it. */
  slack: SlackDelivery;
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

export interface CommandRoutes {
  subcommands: readonly Subcommand[];
  /** Text whose first word names no subcommand (`/apollo-dashboard 30d`, or nothing at all). */
  fallback: Subcommand['handle'];
  /** The help lines shown after every command error. */
  usage: readonly string[];
  /** The delivery policy around the listener's client (authorized for the request's workspace). */
  slack: (client: WebClient) => SlackDelivery;
}

/** Command text and error words echoed in an answer are cut to this many characters. */
export const MAX_ECHO_CHARS = 500;

export function registerCommand(app: App, deps: Deps, routes: CommandRoutes): void {
  const table = new Map(routes.subcommands.map((s) => [s.name, s]));
  app.command(COMMAND, async ({ command, ack, respond: rawRespond, client }) => {
    const slack = routes.slack(client);
    // A response_url reply is not safe to repeat: one attempt, bounded, ended at shutdown.
    const respond: RespondFn = (message) => slack.within('response_url reply', () => rawRespond(message));
    const [head, ...args] = splitWords(command.text ?? '');
    const handler = table.get((head ?? '').toLowerCase());
    let acked = false;
    const trackedAck: typeof ack = async (response) => {
      acked = true;
      await ack(response);
    };
    try {
      await (handler ? handler.handle.bind(handler) : routes.fallback)({
        deps,
        client,
        slack,
        ack: trackedAck,
        respond,
        team: command.team_id,
        user: command.user_id,
        channel: command.channel_id,
        triggerId: command.trigger_id,
        text: command.text ?? '',
        args: handler ? args : [head ?? '', ...args].filter(Boolean),
      });
    } catch (error) {
      // The user's words come back in these answers: a 100,000-character command must not (Slack
      // limits a section to 3,000 characters), so both the error and the echoed text are cut.
      const usageError = (problem: string) => {
        if (handler) return renderCommandError(cutEcho(problem), routes.usage, handler.name);
        // No subcommand matched: a near miss gets "did you mean" and only that command's usage.
        const guess = closestWord(head ?? '', [...table.keys(), ...PERIOD_WORDS]);
        if (guess === null) return renderCommandError(cutEcho(problem), routes.usage);
        const isPeriod = (PERIOD_WORDS as readonly string[]).includes(guess);
        const suggestion = isPeriod ? guess : cutEcho([guess, ...args].join(' '));
        return renderCommandError(
          `${cutEcho(problem)} Did you mean \`${COMMAND} ${suggestion}\`?`,
          routes.usage,
          isPeriod ? '[period]' : guess,
        );
      };
      if (!acked && isUsageError(error)) {
        await ack(
          ephemeral(
            error.code === 'bad_command'
              ? usageError(error.message)
              : renderCommandError(cutEcho(error.message), routes.usage),
          ),
        );
        return;
      }
      if (!acked) await ack();
      if (isAppError(error, 'bad_command')) {
        await respond(ephemeral(usageError(error.message)));
        return;
      }
      await reportFailure(deps, respond, `\`${COMMAND} ${cutEcho(command.text ?? '')}\` failed.`, error);
    }
  });
}

/** Cuts user words echoed in an answer (an ellipsis marks the cut). */
export function cutEcho(text: string): string {
  return truncate(text, MAX_ECHO_CHARS);
}
