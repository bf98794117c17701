/** Slack Web API failures: their code, a safe log line, and the hint a person can act on. */
import { message, section } from '../blocks/kit.js';
import { isSlackCallError } from './delivery.js';

/** The Slack error code of a failed Web API call (`not_in_channel`, `ratelimited`, …), if any. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** A log line for an error: message and code only, never request bodies or tokens. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const slack = slackErrorCode(error);
    return [error.name, typeof code === 'string' ? code : '', slack ?? '', error.message]
      .filter(Boolean)
      .join(': ');
  }
  return String(error);
}

/** What to tell a person when the bot is not in the channel it was asked to post to; null otherwise. */
export function notInChannelHint(code: string | undefined): string | null {
  if (code === 'not_in_channel' || code === 'channel_not_found') {
    return `I'm not in this channel yet. Type \`/invite @Apollo Dashboard\` there, then try again.`;
  }
  return null;
}

/** What a waiting person is told when Slack has not answered within the policy's notice time. */
export const SLACK_SLOW = message('Slack is slow; still trying.', [
  section(':hourglass_flowing_sand: Slack is slow to answer; still trying. I will tell you how it went.'),
]);

/** A trigger_id is valid for 3 s; the form open must finish within it. */
export const TRIGGER_BUDGET_MS = 2_500;

/** What to tell a person when Slack did not complete a call (timeout, outage, rate limit); null otherwise. */
export function slackUnavailableHint(error: unknown): string | null {
  if (!isSlackCallError(error)) return null;
  switch (error.reason) {
    case 'rate_limited':
      return 'Slack is rate-limiting this channel right now. Nothing was posted; try again in a minute.';
    case 'shutdown':
      return 'The app is restarting. Try again in a moment.';
    default:
      return error.maybeDone
        ? 'Slack did not answer in time. It may still appear; check the channel before trying again.'
        : 'Slack is not answering right now. Nothing was posted; try again in a moment.';
  }
}

/** What to tell a person whose form did not open: an expired trigger, or a slow Slack; null otherwise. */
export function triggerHint(error: unknown): string | null {
  if (slackErrorCode(error) === 'expired_trigger_id') {
    return 'Slack took too long to open the form (a form must open within 3 seconds of the command). Run the command again.';
  }
  if (isSlackCallError(error)) {
    return 'Slack did not open the form in time (it must open within 3 seconds). Run the command again in a moment.';
  }
  return null;
}
