/** Slack Web API failures: their code, a safe log line, and the hint a person can act on. */

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
