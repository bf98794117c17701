/** The few ways the app answers a person: an ephemeral reply, a failure report, a note to an uploader. */
import type { Logger, RespondFn } from '@slack/bolt';
import { renderFailure } from '../blocks/help.js';
import type { SlackMessage } from '../blocks/kit.js';
import { userMessageOf } from '../errors.js';
import { isSlackCallError, type SlackDelivery } from './delivery.js';
import type { Deps } from './deps.js';
import { describeError } from './errors.js';

/** A reply only the person who asked sees. */
export function ephemeral<T extends object>(m: T): T & { response_type: 'ephemeral' } {
  return { response_type: 'ephemeral' as const, ...m };
}

/** Reports a failure after the ack to the user and the log; never throws. */
export async function reportFailure(
  deps: Deps,
  respond: RespondFn,
  what: string,
  error: unknown,
): Promise<void> {
  deps.logger.error(`${what}: ${describeError(error)}`);
  try {
    await respond(ephemeral(renderFailure(what, userMessageOf(error))));
  } catch (e) {
    deps.logger.error(`Could not report the failure to the user: ${describeError(e)}`);
  }
}

/** Sends a person an ephemeral in the channel they came from, or a DM when that is not possible. */
export async function tellUser(
  slack: SlackDelivery,
  logger: Logger,
  target: { user: string; channel?: string },
  msg: SlackMessage,
): Promise<void> {
  if (target.channel) {
    try {
      await slack.call(
        'chat.postEphemeral',
        { channel: target.channel, user: target.user, ...msg },
        { safe: false, key: target.channel, what: 'note to the user' },
      );
      return;
    } catch (error) {
      // An ephemeral whose answer was lost may have been shown: no DM on top of it.
      if (isSlackCallError(error) && error.maybeDone) throw error;
      logger.warn(`Ephemeral to the uploader failed, sending a DM instead: ${describeError(error)}`);
    }
  }
  await slack.call(
    'chat.postMessage',
    { channel: target.user, ...msg },
    { safe: false, key: target.user, what: 'direct message to the user' },
  );
}
