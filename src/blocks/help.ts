/** Usage text rendered: the help list and the command error followed by it. The lines come from the grammars. */
import { COMMAND } from '../ids.js';
import { context, escapeMrkdwn, header, message, type SlackMessage, section } from './kit.js';

export function renderHelpMessage(usage: readonly string[]): SlackMessage {
  return message(`Usage: ${COMMAND} [period] | post | upload | runs | settings | help`, [
    header('Apollo dashboard: commands'),
    section(usage.map((l) => `• ${l}`).join('\n')),
    context(['Pipelines can push runs to `POST /api/runs` with the ingest token; see docs/ingest-api.md.']),
  ]);
}

/** An error the user can act on (raw words, escaped here once), followed by the usage. */
export function renderCommandError(problem: string, usage: readonly string[]): SlackMessage {
  return message(`${problem} Type ${COMMAND} help for usage.`, [
    section(`:warning: ${escapeMrkdwn(problem)}`),
    section(`*Usage*\n${usage.map((l) => `• ${l}`).join('\n')}`),
  ]);
}

/** A failure after the ack: what went wrong, never a stack or a secret. */
export function renderFailure(what: string, detail?: string): SlackMessage {
  const text = `:x: ${escapeMrkdwn(what)}${detail ? ` ${escapeMrkdwn(detail)}` : ''}`;
  return message(`${what}${detail ? ` ${detail}` : ''}`, [section(text)]);
}
