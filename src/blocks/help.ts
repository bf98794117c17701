/** Usage text rendered: the help list and the command error followed by it. The lines come from the grammars. */
import { COMMAND } from '../ids.js';
import {
  type AnyMessageBlock,
  context,
  escapeMrkdwn,
  header,
  message,
  type SlackMessage,
  section,
} from './kit.js';

/** A titled group of help lines. */
export interface HelpGroup {
  title: string;
  lines: readonly string[];
}

/** The help, grouped by what people come to do; a flat list is one untitled group. */
export function renderHelpMessage(usage: readonly string[] | readonly HelpGroup[]): SlackMessage {
  const groups: readonly HelpGroup[] =
    typeof usage[0] === 'string' || usage.length === 0
      ? [{ title: 'Commands', lines: usage as readonly string[] }]
      : (usage as readonly HelpGroup[]);
  return message(`Usage: ${COMMAND} [period] | full | post | upload | runs | settings | help`, [
    header('Apollo dashboard: commands'),
    ...groups.map((g) => section(`*${g.title}*\n${g.lines.map((l) => `• ${l}`).join('\n')}`)),
    context(['Pipelines can push runs to `POST /api/runs` with the ingest token; see docs/ingest-api.md.']),
  ]);
}

/** The help lines about one subcommand (`alerts`, `export`, …); the dashboard line for a period. */
export function relevantUsage(usage: readonly string[], word: string): string[] {
  const w = word.toLowerCase();
  return usage.filter(
    (l) => l.includes(`${COMMAND} ${w}`) || l.startsWith(`\`${w} `) || l.startsWith(`\`${w}\``),
  );
}

/**
 * An error the user can act on (raw words, escaped here once), followed by the usage: only the
 * lines about what they were typing when `focus` is given (and found), else every line.
 */
export function renderCommandError(problem: string, usage: readonly string[], focus?: string): SlackMessage {
  const relevant = focus === undefined ? [] : relevantUsage(usage, focus);
  const lines = relevant.length > 0 ? relevant : usage;
  const blocks: AnyMessageBlock[] = [
    section(`:warning: ${escapeMrkdwn(problem)}`),
    section(`*Usage*\n${lines.map((l) => `• ${l}`).join('\n')}`),
  ];
  if (relevant.length > 0) blocks.push(context([`Every command: \`${COMMAND} help\`.`]));
  return message(`${problem} Type ${COMMAND} help for usage.`, blocks);
}

/** A failure after the ack: what went wrong, never a stack or a secret. */
export function renderFailure(what: string, detail?: string): SlackMessage {
  const text = `:x: ${escapeMrkdwn(what)}${detail ? ` ${escapeMrkdwn(detail)}` : ''}`;
  return message(`${what}${detail ? ` ${detail}` : ''}`, [section(text)]);
}
