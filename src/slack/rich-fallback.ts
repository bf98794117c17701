/**
 * Charts and tables are new Slack blocks: a workspace or client that refuses them answers
 * `invalid_blocks`. Then the same message goes again without them, so the user still gets every
 * figure (each chart and table has its figures in the text beside it).
 */
import { type SlackMessage, withoutRichBlocks } from '../blocks/kit.js';
import { isSlackCallError } from './delivery.js';
import type { Deps } from './deps.js';
import { describeError, slackErrorCode } from './errors.js';

function hasRichBlocks(msg: SlackMessage): boolean {
  return msg.blocks.some((b) => b.type === 'data_visualization' || b.type === 'data_table');
}

/**
 * Sends `msg`; when Slack refuses its blocks and it carries charts or tables, sends it once more
 * without them. `anyError`: also on errors without a code (a response_url answers with plain text).
 */
export async function sendWithRichFallback<T>(
  deps: Partial<Pick<Deps, 'logger'>>,
  msg: SlackMessage,
  send: (m: SlackMessage) => Promise<T>,
  options: { anyError?: boolean } = {},
): Promise<T> {
  try {
    return await send(msg);
  } catch (error) {
    // A timeout, a 429 or an outage under the delivery policy is no refusal of the blocks: sending
    // again could post twice.
    if (isSlackCallError(error)) throw error;
    const code = slackErrorCode(error);
    const refused = code === 'invalid_blocks' || (options.anyError === true && code === undefined);
    if (!refused || !hasRichBlocks(msg)) throw error;
    deps.logger?.warn(`Slack refused charts or tables (${describeError(error)}); sending the text version.`);
    return send(withoutRichBlocks(msg));
  }
}
