/** The `/apollo-dashboard digest …` grammar: words in, a typed command out (or a `bad_command` error). */

import { parseChannelMention } from '../../domain/command.js';
import { isValidTimeZone } from '../../domain/time.js';
import { AppError } from '../../errors.js';
import { COMMAND } from '../../ids.js';
import { parseClock, WEEKDAY_NAMES } from './schedule.js';
import type { DigestSchedule } from './state.js';

/** The help line: every form `parseDigestCommand` accepts. */
export const DIGEST_HELP = `\`${COMMAND} digest\`: the weekly digest's schedule, channel, next and last send · \`digest channel #channel\`, \`digest schedule monday 09:00 [Area/City]\` (or \`daily 07:30\`, or \`cron "0 9 * * 1-5"\`), \`digest off|on\`, \`digest now\`, \`digest preview\`, \`digest skip-empty on|off\`.`;

export const DIGEST_USAGE =
  '`digest` · `digest channel #channel` · `digest schedule <day> <HH:MM> [timezone]` · `digest schedule daily <HH:MM> [timezone]` · `digest schedule cron "<expression>" [timezone]` · `digest off` · `digest on` · `digest now` · `digest preview` · `digest skip-empty on|off`';

export type DigestCommand =
  | { kind: 'show' }
  | { kind: 'channel'; channel: string }
  | { kind: 'schedule'; schedule: DigestSchedule; timezone?: string }
  | { kind: 'off' }
  | { kind: 'on' }
  | { kind: 'now' }
  | { kind: 'preview' }
  | { kind: 'skip-empty'; on: boolean };

export function bad(message: string): AppError {
  return new AppError('bad_command', `${message} Usage: ${DIGEST_USAGE}`);
}

/**
 * Parses the words after `digest`. `cronValid` checks an expression (node-cron lives at the
 * edge); it returns an error message or null.
 */
export function parseDigestCommand(text: string, cronValid: (expr: string) => string | null): DigestCommand {
  const normalised = text.replace(/[“”]/g, '"').trim();
  const [verbRaw, ...rest] = normalised.split(/\s+/).filter(Boolean);
  const verb = (verbRaw ?? '').toLowerCase();
  switch (verb) {
    case '':
      return { kind: 'show' };
    case 'channel': {
      const channel = rest.length === 1 ? parseChannelMention(rest[0] as string)?.id : undefined;
      if (!channel) throw bad('Name one channel, e.g. `digest channel #revops`.');
      return { kind: 'channel', channel };
    }
    case 'off':
    case 'on':
    case 'now':
    case 'preview':
      if (rest.length > 0) throw bad(`\`digest ${verb}\` takes nothing after it.`);
      return { kind: verb };
    case 'skip-empty': {
      const v = (rest[0] ?? '').toLowerCase();
      if (rest.length !== 1 || (v !== 'on' && v !== 'off')) throw bad('Say `digest skip-empty on` or `off`.');
      return { kind: 'skip-empty', on: v === 'on' };
    }
    case 'schedule':
      return parseScheduleWords(
        normalised.slice(normalised.toLowerCase().indexOf('schedule') + 'schedule'.length).trim(),
        cronValid,
      );
    default:
      throw bad(`I don't know \`digest ${verbRaw}\`.`);
  }
}

export function zoneOrThrow(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  if (!isValidTimeZone(word))
    throw bad(`\`${word}\` is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).`);
  return word;
}

export function parseScheduleWords(text: string, cronValid: (expr: string) => string | null): DigestCommand {
  const cron = /^cron\s+"([^"]+)"\s*(\S+)?\s*$/i.exec(text);
  if (cron) {
    const expression = (cron[1] as string).trim().replace(/\s+/g, ' ');
    const problem = cronValid(expression);
    if (problem) throw bad(`\`${expression}\` is not a valid cron expression: ${problem}.`);
    const timezone = zoneOrThrow(cron[2]);
    return { kind: 'schedule', schedule: { kind: 'cron', expression }, ...(timezone ? { timezone } : {}) };
  }
  if (/^cron\b/i.test(text))
    throw bad('Put the cron expression in double quotes, e.g. `digest schedule cron "0 9 * * 1-5"`.');
  const [first, clock, zone, ...extra] = text.split(/\s+/).filter(Boolean);
  if (!first || !clock || extra.length > 0)
    throw bad('Say when, e.g. `digest schedule monday 09:00 Europe/Berlin`.');
  const time = parseClock(clock);
  if (!time) throw bad(`\`${clock}\` is not a time: use HH:MM, 24-hour.`);
  const hhmm = `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
  const timezone = zoneOrThrow(zone);
  const day = first.toLowerCase();
  if (day === 'daily')
    return { kind: 'schedule', schedule: { kind: 'daily', time: hhmm }, ...(timezone ? { timezone } : {}) };
  const index = WEEKDAY_NAMES.findIndex((d) => d === day || d.slice(0, 3) === day || `${d}s` === day);
  if (index < 0) throw bad(`\`${first}\` is not a day: use monday … sunday or daily.`);
  return {
    kind: 'schedule',
    schedule: { kind: 'weekly', day: index, time: hhmm },
    ...(timezone ? { timezone } : {}),
  };
}
