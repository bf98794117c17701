/** Usage text: what every subcommand does, shown by `help` and after every command error. */
import { PERIOD_USAGE } from '../domain/period.js';
import { COMMAND } from '../ids.js';
import { context, escapeMrkdwn, header, message, type SlackMessage, section } from './kit.js';

export const USAGE_LINES = [
  `\`${COMMAND} [period]\`: the dashboard, only for you. Periods: ${PERIOD_USAGE}.`,
  `\`${COMMAND} post [period]\`: post the dashboard to this channel.`,
  `\`${COMMAND} upload\`: upload a run (JSON or Apollo CSV export) in a form.`,
  `\`${COMMAND} runs\`: recent runs · \`${COMMAND} runs delete <run_id>\`: remove one.`,
  `\`${COMMAND} settings\`: show settings · \`${COMMAND} settings rate_limit=200 timezone=Europe/Berlin\`: change them.`,
  `\`${COMMAND} export json|csv|html|companies [period] [tier=1|2|3|qualified]\`: post the dashboard (or the period's companies) to this channel as a file.`,
  `\`${COMMAND} campaign email|linkedin|content sent=N [opened=N] [responded=N] [converted=N] [date=YYYY-MM-DD]\`: record campaign results (\`campaign <channel> set …\` corrects a date's totals; \`campaign\` opens a form; \`campaign undo\` takes your last update back).`,
  `\`${COMMAND} settings roi cost_per_contact=0.8 revenue_per_conversion=12000 [channel=linkedin]\`: ROI assumptions · \`settings credit_cost=0.02\`: money per Apollo credit.`,
  `\`${COMMAND} alerts\`: alert rules, incidents and channel · \`alerts channel #channel\`, \`alerts set <rule> <value> [recovery <value>]\`, \`alerts on|off <rule|all>\`, \`alerts mute <rule|all> 2h\`, \`alerts unmute <rule|all>\`: change them.`,
  `\`${COMMAND} digest\`: the weekly digest's schedule, channel, next and last send · \`digest channel #channel\`, \`digest schedule monday 09:00 [Area/City]\` (or \`daily 07:30\`, or \`cron "0 9 * * 1-5"\`), \`digest off|on\`, \`digest now\`, \`digest preview\`, \`digest skip-empty on|off\`.`,
  `\`${COMMAND} help\`: this list.`,
];

export function renderHelp(): SlackMessage {
  return message(`Usage: ${COMMAND} [period] | post | upload | runs | settings | help`, [
    header('Apollo dashboard: commands'),
    section(USAGE_LINES.map((l) => `• ${l}`).join('\n')),
    context(['Pipelines can push runs to `POST /api/runs` with the ingest token; see the README.']),
  ]);
}

/** An error the user can act on, followed by the usage. */
export function renderCommandError(problem: string): SlackMessage {
  return message(`${problem} Type ${COMMAND} help for usage.`, [
    section(`:warning: ${escapeMrkdwn(problem)}`),
    section(`*Usage*\n${USAGE_LINES.map((l) => `• ${l}`).join('\n')}`),
  ]);
}

/** A failure after the ack: what went wrong, never a stack or a secret. */
export function renderFailure(what: string, detail?: string): SlackMessage {
  const text = `:x: ${escapeMrkdwn(what)}${detail ? ` ${escapeMrkdwn(detail)}` : ''}`;
  return message(`${what}${detail ? ` ${detail}` : ''}`, [section(text)]);
}
