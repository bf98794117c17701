/** The `/apollo-dashboard campaign …` grammar: words in, a typed command out (or a `bad_command` error). */

import {
  type CampaignCounts,
  type CampaignEntry,
  type CampaignMode,
  COUNT_ALIASES,
  channelKey,
  channelOf,
  checkCounts,
  parseCount,
  quoteWord,
  wholeNumberMessage,
} from '../../domain/campaigns.js';
import { parseLocalDate } from '../../domain/time.js';
import { AppError } from '../../errors.js';
import { COMMAND } from '../../ids.js';

/** The help line: every form `parseCampaignCommand` accepts. */
export const CAMPAIGN_HELP = `\`${COMMAND} campaign email|linkedin|content sent=N [opened=N] [responded=N] [converted=N] [date=YYYY-MM-DD]\`: record campaign results (\`campaign <channel> set …\` corrects a date's totals; \`campaign\` opens a form; \`campaign undo\` takes your last update back; \`campaign repair\` removes damaged campaign records).`;

export const CAMPAIGN_USAGE =
  '`campaign <email|linkedin|content> sent=N [opened=N] [responded=N] [converted=N] [date=YYYY-MM-DD]`, ' +
  '`campaign <channel> set …` (absolute totals for that date), `campaign undo`, or `campaign` for a form';

export type CampaignCommand =
  | { kind: 'form' }
  | { kind: 'undo' }
  /** Removes damaged campaign documents (admins). */
  | { kind: 'repair' }
  | { kind: 'record'; entry: CampaignEntry };

/** Parses the words after `campaign`; throws `bad_command` naming the word at fault. */
export function parseCampaignCommand(args: readonly string[]): CampaignCommand {
  if (args.length === 0) return { kind: 'form' };
  const [first, ...rest] = args as [string, ...string[]];
  if (first.toLowerCase() === 'undo') {
    if (rest.length > 0) throw new AppError('bad_command', 'Usage: `campaign undo` (it takes nothing else).');
    return { kind: 'undo' };
  }
  if (first.toLowerCase() === 'repair') {
    if (rest.length > 0)
      throw new AppError('bad_command', 'Usage: `campaign repair` (it takes nothing else).');
    return { kind: 'repair' };
  }
  const channel = channelOf(first);
  if (!channel) {
    throw new AppError(
      'bad_command',
      `${quoteWord(first)} is not a campaign channel; use email, linkedin or content (or undo).`,
    );
  }
  let words = rest;
  let mode: CampaignMode = 'increment';
  if (words[0]?.toLowerCase() === 'set') {
    mode = 'set';
    words = words.slice(1);
  }
  if (words.length === 0) {
    throw new AppError(
      'bad_command',
      mode === 'set'
        ? `Say which totals to set, e.g. \`campaign ${channelKey(channel)} set sent=1200 responded=40\`.`
        : `Say what to record, e.g. \`campaign ${channelKey(channel)} sent=1200 responded=40\`.`,
    );
  }
  const counts: Partial<CampaignCounts> = {};
  let date: string | undefined;
  const seen = new Set<string>();
  for (const word of words) {
    const eq = word.indexOf('=');
    const rawKey = eq > 0 ? word.slice(0, eq).toLowerCase() : '';
    const raw = eq > 0 ? word.slice(eq + 1) : '';
    if (eq <= 0) {
      throw new AppError(
        'bad_command',
        word.toLowerCase() === 'set'
          ? '`set` comes right after the channel: `campaign email set sent=1200`.'
          : `${quoteWord(word)} is not a \`key=value\` pair; use sent=, opened=, responded= (or replied=), converted= and date=.`,
      );
    }
    if (rawKey === 'date') {
      if (seen.has('date')) throw new AppError('bad_command', '`date` is given twice.');
      seen.add('date');
      if (!parseLocalDate(raw))
        throw new AppError('bad_command', `${quoteWord(word)}: date must be a real date, YYYY-MM-DD.`);
      date = raw;
      continue;
    }
    const key = Object.hasOwn(COUNT_ALIASES, rawKey) ? COUNT_ALIASES[rawKey] : undefined;
    if (!key) {
      throw new AppError(
        'bad_command',
        `Unknown key ${quoteWord(word)}; use sent=, opened=, responded= (or replied=), converted= and date=.`,
      );
    }
    if (seen.has(key)) throw new AppError('bad_command', `\`${key}\` is given twice.`);
    seen.add(key);
    const n = parseCount(raw);
    if (n === null) throw new AppError('bad_command', `${quoteWord(word)}: ${wholeNumberMessage(rawKey)}`);
    counts[key] = n;
  }
  const problem = checkCounts(counts, mode)[0];
  if (problem) throw new AppError('bad_command', problem.message);
  const entry: CampaignEntry = { channel, mode, counts };
  if (date !== undefined) entry.date = date;
  return { kind: 'record', entry };
}

/** The entry's date, or `today`; throws `bad_command` when it is after `today` (the workspace's date). */
export function resolveEntryDate(entry: CampaignEntry, today: string, timeZone: string): string {
  const date = entry.date ?? today;
  if (date > today) {
    throw new AppError(
      'bad_command',
      `date=${date} is in the future (today is ${today} in ${timeZone}); record what already happened.`,
    );
  }
  return date;
}
