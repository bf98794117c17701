/** Campaign updates from the modal, the HTTP API and a file: checked field by field, every problem named. */

import {
  CAMPAIGN_COUNTS,
  type CampaignCount,
  type CampaignCounts,
  type CampaignEntry,
  type CampaignMode,
  type CampaignUpdate,
  channelOf,
  checkCounts,
  MAX_COUNT,
  MAX_UPDATES_PER_REQUEST,
  parseCount,
  toUpdate,
  wholeNumberMessage,
} from '../../domain/campaigns.js';
import { formatInt } from '../../domain/format.js';
import { formatLocalDate, parseLocalDate } from '../../domain/time.js';
import { AppError, type FieldProblem } from '../../errors.js';

export type CampaignFormField = 'channel' | CampaignCount | 'date';

export interface CampaignFormValues {
  channel?: string | null;
  sent?: string | null;
  opened?: string | null;
  responded?: string | null;
  converted?: string | null;
  date?: string | null;
}

/** Validates the modal's values; errors are keyed by field for Slack's inline errors. */
export function validateCampaignForm(
  values: CampaignFormValues,
  today: string,
):
  | { ok: true; entry: CampaignEntry & { date: string } }
  | { ok: false; errors: Partial<Record<CampaignFormField, string>> } {
  const errors: Partial<Record<CampaignFormField, string>> = {};
  const channel = values.channel ? channelOf(values.channel) : null;
  if (!channel) errors.channel = 'Pick Email, LinkedIn or Content.';
  const counts: Partial<CampaignCounts> = {};
  for (const c of CAMPAIGN_COUNTS) {
    const raw = values[c]?.trim() ?? '';
    if (raw === '') continue;
    const n = parseCount(raw);
    if (n === null) errors[c] = `Enter a whole number from 0 to ${formatInt(MAX_COUNT)}.`;
    else counts[c] = n;
  }
  if (values.sent == null || values.sent.trim() === '') {
    errors.sent ??= 'How many were sent? Enter 0 if none.';
  }
  for (const p of checkCounts(counts, 'increment'))
    errors[p.field] ??= p.form ?? p.message.replace(/ \(use `set`.*\)/, '');
  const rawDate = values.date?.trim() || today;
  if (!parseLocalDate(rawDate)) errors.date = 'Pick a date.';
  else if (rawDate > today) errors.date = `That is in the future; today is ${today}.`;
  if (!channel || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, entry: { channel, mode: 'increment', counts, date: rawDate } };
}

const API_FIELDS = new Set([
  'channel',
  'mode',
  'date',
  'sent',
  'opened',
  'responded',
  'replied',
  'converted',
]);

/**
 * Parses `POST /api/campaigns` bodies and `--campaigns` files: one update or a list. Every problem
 * names its update (`updates[2]`) and field; throws `upload_invalid` with all of them, so a bad
 * request stores nothing.
 */
export function parseCampaignPayload(
  value: unknown,
  options: { today: string; timeZone: string },
): Array<CampaignEntry & { date: string }> {
  const list = Array.isArray(value) ? value : [value];
  const problems: FieldProblem[] = [];
  if (list.length === 0)
    problems.push({ where: '', field: '', message: 'The list is empty: send at least one update.' });
  if (list.length > MAX_UPDATES_PER_REQUEST) {
    problems.push({
      where: '',
      field: '',
      message: `At most ${formatInt(MAX_UPDATES_PER_REQUEST)} updates per request.`,
    });
  }
  const out: Array<CampaignEntry & { date: string }> = [];
  if (problems.length > 0) throw invalid(problems);
  list.forEach((item, i) => {
    const where = `updates[${i}]`;
    const add = (field: string, message: string) => problems.push({ where, field, message });
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      add('', 'Each update is an object such as {"channel": "email", "sent": 1200}.');
      return;
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!API_FIELDS.has(key))
        add(
          key,
          'Unknown field; use channel, sent, opened, responded (or replied), converted, date and mode.',
        );
    }
    const channel = typeof record.channel === 'string' ? channelOf(record.channel) : null;
    if (!channel) add('channel', 'Required: email, linkedin or content.');
    const modeRaw = record.mode ?? 'increment';
    const mode: CampaignMode | null = modeRaw === 'increment' || modeRaw === 'set' ? modeRaw : null;
    if (!mode) add('mode', 'Use "increment" (the default) or "set".');
    const counts: Partial<CampaignCounts> = {};
    if (record.responded !== undefined && record.replied !== undefined)
      add('replied', 'Give responded or replied, not both.');
    for (const field of ['sent', 'opened', 'responded', 'replied', 'converted'] as const) {
      const raw = record[field];
      if (raw === undefined || raw === null) continue;
      const n =
        typeof raw === 'number'
          ? Number.isSafeInteger(raw) && raw >= 0 && raw <= MAX_COUNT
            ? raw
            : null
          : typeof raw === 'string'
            ? parseCount(raw)
            : null;
      if (n === null) add(field, wholeNumberMessage(field));
      else counts[field === 'replied' ? 'responded' : field] = n;
    }
    let date = options.today;
    if (record.date !== undefined) {
      if (typeof record.date !== 'string' || !parseLocalDate(record.date))
        add('date', 'Must be a real date, YYYY-MM-DD.');
      else if (record.date > options.today) {
        add('date', `${record.date} is in the future (today is ${options.today} in ${options.timeZone}).`);
      } else date = record.date;
    }
    if (!mode) return;
    // A figure already reported as unreadable is not reported again as missing.
    const reported = new Set(problems.filter((p) => p.where === where).map((p) => p.field));
    for (const p of checkCounts(counts, mode)) {
      if (!reported.has(p.field)) add(p.field, p.message.replaceAll('`', ''));
    }
    if (channel) out.push({ channel, mode, counts, date });
  });
  if (problems.length > 0) throw invalid(problems);
  return out;
}

function invalid(problems: FieldProblem[]): AppError {
  return new AppError(
    'upload_invalid',
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in the campaign updates.`,
    { problems },
  );
}

/**
 * Campaign updates from a file (the offline report's `--campaigns`): a JSON list of updates as
 * `POST /api/campaigns` takes them, dated `today` in `timeZone` when they carry no date.
 */
export function campaignUpdatesFromFile(
  file: { name: string; text: string },
  options: { now: Date; timeZone: string },
): CampaignUpdate[] {
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch {
    throw new AppError('upload_invalid', `${file.name}: not JSON; give a list of campaign updates.`);
  }
  let entries: Array<CampaignEntry & { date: string }>;
  try {
    entries = parseCampaignPayload(json, {
      today: formatLocalDate(options.now, options.timeZone),
      timeZone: options.timeZone,
    });
  } catch (error) {
    if (error instanceof AppError)
      throw new AppError(error.code, `${file.name}: ${error.message}`, {
        problems: error.problems,
        unlisted: error.unlisted,
      });
    throw error;
  }
  const at = options.now.toISOString();
  return entries.map((entry, i) => toUpdate(entry, { id: `file-${i + 1}`, user: 'cli', at, source: 'file' }));
}
