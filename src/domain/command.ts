/** The `/apollo-dashboard` grammar: words in, a typed command out (or a `bad_command` error). */
import { AppError } from '../errors.js';
import { COMMAND } from '../ids.js';
import { PERIOD_USAGE, type PeriodSpec, parsePeriod } from './period.js';
import { parseRoiSettingsChange, parseSettingsChange, type SettingKey } from './settings.js';

export type Command =
  /** `full`: every section with charts and tables; otherwise the one-screen summary. */
  | { kind: 'dashboard'; period: PeriodSpec; full?: boolean }
  | { kind: 'post'; period: PeriodSpec }
  | { kind: 'upload' }
  | { kind: 'runs' }
  | { kind: 'runs-delete'; runId: string }
  | { kind: 'settings' }
  /** Removes a damaged settings record (only a damaged one). */
  | { kind: 'settings-reset' }
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
  dashboard: `\`${COMMAND} [period]\`: the dashboard summary, only for you. Periods: ${PERIOD_USAGE}.`,
  full: `\`${COMMAND} full [period]\`: the full dashboard (API health, scores, industries, countries, campaigns, funnel, trends).`,
  post: `\`${COMMAND} post [period]\`: post the dashboard to this channel.`,
  upload: `\`${COMMAND} upload\`: upload a run (JSON or Apollo CSV export) in a form.`,
  runs: `\`${COMMAND} runs\`: recent runs · \`${COMMAND} runs delete <run_id>\`: remove one.`,
  settings: `\`${COMMAND} settings\`: show settings · \`${COMMAND} settings rate_limit=200 timezone=Europe/Berlin\`: change them · \`settings ingest-key new|list|revoke <prefix>\`: keys for the ingest API · \`settings delete-data [confirm]\`: delete this workspace's data now · \`settings reset\`: remove a damaged settings record.`,
  roi: `\`${COMMAND} settings roi cost_per_contact=0.8 revenue_per_conversion=12000 [channel=linkedin]\`: ROI assumptions · \`settings credit_cost=0.02\`: money per Apollo credit · \`settings currency=EUR\`: the currency of every money figure (\`currency=none\` clears it).`,
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
    case 'full':
      if (rest.length > 1) throw new AppError('bad_command', 'Usage: `full [period]`.');
      return { kind: 'dashboard', period: parsePeriod(rest[0] ?? ''), full: true };
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
      if (sub === 'reset') {
        if (rest.length === 1) return { kind: 'settings-reset' };
        throw new AppError('bad_command', 'Usage: `settings reset` (removes a damaged settings record).');
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

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short words. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known word closest to a mistyped one (at most 2 edits, fewer for short words); null when none is close. */
export function closestWord(word: string, known: readonly string[]): string | null {
  const w = word.toLowerCase();
  const limit = w.length <= 4 ? 1 : 2;
  let best: { word: string; distance: number } | null = null;
  for (const k of known) {
    const distance = editDistance(w, k);
    if (distance <= limit && (best === null || distance < best.distance)) best = { word: k, distance };
  }
  return best?.word ?? null;
}
