/** The `/apollo-dashboard` grammar: words in, a typed command out (or a `bad_command` error). */
import { AppError } from '../errors.js';
import { COMMAND } from '../ids.js';
import { PERIOD_USAGE, type PeriodSpec, parsePeriod } from './period.js';
import { parseRoiSettingsChange, parseSettingsChange, type SettingKey } from './settings.js';

export type Command =
  | { kind: 'dashboard'; period: PeriodSpec }
  | { kind: 'post'; period: PeriodSpec }
  | { kind: 'upload' }
  | { kind: 'runs' }
  | { kind: 'runs-delete'; runId: string }
  | { kind: 'settings' }
  /** A null value removes the stored setting (back to its default). */
  | { kind: 'settings-set'; change: Partial<Record<SettingKey, string | number | null>> }
  | { kind: 'ingest-key-new' }
  | { kind: 'ingest-key-list' }
  | { kind: 'ingest-key-revoke'; prefix: string }
  /** Without `confirm`: only the warning of what would be deleted. */
  | { kind: 'delete-data'; confirmed: boolean }
  | { kind: 'help' };

/** The core subcommands' help lines; every form `parseCommand` accepts appears here. */
export const CORE_HELP = {
  dashboard: `\`${COMMAND} [period]\`: the dashboard, only for you. Periods: ${PERIOD_USAGE}.`,
  post: `\`${COMMAND} post [period]\`: post the dashboard to this channel.`,
  upload: `\`${COMMAND} upload\`: upload a run (JSON or Apollo CSV export) in a form.`,
  runs: `\`${COMMAND} runs\`: recent runs · \`${COMMAND} runs delete <run_id>\`: remove one.`,
  settings: `\`${COMMAND} settings\`: show settings · \`${COMMAND} settings rate_limit=200 timezone=Europe/Berlin\`: change them · \`settings ingest-key new|list|revoke <prefix>\`: keys for the ingest API · \`settings delete-data [confirm]\`: delete this workspace's data now.`,
  roi: `\`${COMMAND} settings roi cost_per_contact=0.8 revenue_per_conversion=12000 [channel=linkedin]\`: ROI assumptions · \`settings credit_cost=0.02\`: money per Apollo credit.`,
  help: `\`${COMMAND} help\`: this list.`,
} as const;

export function splitWords(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

export function parseCommand(text: string): Command {
  const words = splitWords(text);
  const [first, ...rest] = words;
  const head = (first ?? '').toLowerCase();
  switch (head) {
    case '':
      return { kind: 'dashboard', period: parsePeriod('') };
    case 'help':
      return { kind: 'help' };
    case 'post':
      if (rest.length > 1) throw new AppError('bad_command', 'Usage: `post [period]`.');
      return { kind: 'post', period: parsePeriod(rest[0] ?? '') };
    case 'upload':
      return { kind: 'upload' };
    case 'runs': {
      if (rest.length === 0) return { kind: 'runs' };
      const [verb, runId, ...extra] = rest;
      if (verb?.toLowerCase() === 'delete' && runId && extra.length === 0)
        return { kind: 'runs-delete', runId };
      throw new AppError('bad_command', 'Usage: `runs` or `runs delete <run_id>`.');
    }
    case 'settings': {
      const sub = rest[0]?.toLowerCase();
      if (sub === 'roi') return { kind: 'settings-set', change: parseRoiSettingsChange(rest.slice(1)) };
      if (sub === 'ingest-key') {
        const verb = rest[1]?.toLowerCase();
        const prefix = rest[2];
        const extra = rest.slice(3);
        if (verb === 'new' && prefix === undefined) return { kind: 'ingest-key-new' };
        if (verb === 'list' && prefix === undefined) return { kind: 'ingest-key-list' };
        if (verb === 'revoke' && prefix !== undefined && extra.length === 0)
          return { kind: 'ingest-key-revoke', prefix };
        throw new AppError(
          'bad_command',
          'Usage: `settings ingest-key new`, `… list` or `… revoke <prefix>`.',
        );
      }
      if (sub === 'delete-data') {
        if (rest.length === 1) return { kind: 'delete-data', confirmed: false };
        if (rest.length === 2 && rest[1]?.toLowerCase() === 'confirm')
          return { kind: 'delete-data', confirmed: true };
        throw new AppError(
          'bad_command',
          'Usage: `settings delete-data`, then `settings delete-data confirm`.',
        );
      }
      return rest.length === 0
        ? { kind: 'settings' }
        : { kind: 'settings-set', change: parseSettingsChange(rest) };
    }
    default:
      if (words.length === 1) return { kind: 'dashboard', period: parsePeriod(head) };
      throw new AppError('bad_command', `I don't know \`${words.join(' ')}\`.`);
  }
}

/** A channel from command text: `<#C123|name>`, `<#C123|>`, `<#C123>` (Slack escapes mentions) or a bare id. */
export function parseChannelMention(text: string): { id: string; name?: string } | null {
  const m = /^<#([CG][A-Z0-9]{2,})(?:\|([^>]*))?>$/.exec(text.trim());
  if (m) {
    const name = m[2]?.trim();
    return name ? { id: m[1] as string, name } : { id: m[1] as string };
  }
  const bare = /^([CG][A-Z0-9]{6,})$/.exec(text.trim());
  return bare ? { id: bare[1] as string } : null;
}
