/** The run list, the delete confirmation and the settings view. */

import type { KnownBlock } from '@slack/types';

import { formatInt, formatMoney, formatPercent } from '../domain/format.js';
import { CAMPAIGNS } from '../domain/model.js';
import type { RunMeta } from '../domain/run-meta.js';
import type { ResolvedSettings, SettingSource } from '../domain/settings.js';
import { SETTINGS_USAGE } from '../domain/settings.js';
import { formatLocalDateTime } from '../domain/time.js';
import { ACTIONS, BLOCKS, COMMAND } from '../ids.js';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  header,
  message,
  type SlackMessage,
  section,
  truncate,
} from './kit.js';

const MAX_RUNS = 20;
/** Runs whose warnings are spelled out under the list, and how much of each warning is shown. */
const WARNED_RUNS_SHOWN = 5;
const WARNING_CHARS = 300;

/** A stored record that could not be read back (the store's DamagedRecord). */
export interface DamagedLine {
  run_id: string | null;
  record: string;
  /** For a damaged document: its name (`campaigns-page-3`). */
  document?: string;
}

/** A damaged campaign document, as people know it. */
function documentLabel(name: string): string {
  if (name === 'campaigns-index')
    return 'the campaign updates index (no campaign update can be read; it is recovered by hand, see the operations guide)';
  if (name === 'campaigns') return 'the campaign updates of an earlier version';
  const page = /^campaigns-page-(\d+)$/.exec(name);
  if (page) return `campaign updates page ${page[1]}`;
  const month = /^campaigns-month-(.+)$/.exec(name);
  if (month) return `the campaign totals of ${escapeMrkdwn(month[1] ?? '')}`;
  return `the stored ${escapeMrkdwn(name)}`;
}

/** Damaged campaign documents `campaign repair` removes (not the index: the pages are found through it). */
const isCampaignDocument = (d: DamagedLine) =>
  d.document?.startsWith('campaigns') === true && d.document !== 'campaigns-index';

/** How a damaged record is named in the note. */
function nameOf(d: DamagedLine): string {
  if (d.record === 'settings') return 'the workspace settings (the defaults are used meanwhile)';
  if (d.document !== undefined) return documentLabel(d.document);
  return d.run_id === null
    ? `an unnamed ${escapeMrkdwn(d.record)}`
    : `\`${escapeMrkdwn(d.run_id)}\` (${escapeMrkdwn(d.record)})`;
}

/** One line naming the damaged records and how to remove them (mrkdwn, escaped). */
export function damagedNote(damaged: readonly DamagedLine[]): string | null {
  if (damaged.length === 0) return null;
  const named = damaged.slice(0, 5).map(nameOf);
  const more = damaged.length > 5 ? ` and ${formatInt(damaged.length - 5)} more` : '';
  const how: string[] = [];
  if (damaged.some((d) => d.record !== 'settings' && d.document === undefined))
    how.push(`\`${COMMAND} runs delete <run_id>\``);
  if (damaged.some((d) => d.record === 'settings')) how.push(`\`${COMMAND} settings reset\` (admins)`);
  if (damaged.some(isCampaignDocument)) how.push(`\`${COMMAND} campaign repair\` (admins)`);
  const remove = how.length > 0 ? ` Remove with ${how.join(' and ')}.` : '';
  return `:warning: Damaged and left out: ${named.join(', ')}${more}.${remove}`;
}

/** The answer to `settings reset`: whether a damaged settings record was removed. */
export function renderSettingsReset(removed: boolean): SlackMessage {
  const text = removed
    ? 'Removed the damaged settings record of this workspace. Every setting is back to its default; set them again with `settings key=value`.'
    : 'The settings of this workspace are not damaged, so nothing was removed. Change a setting with `settings key=value` (`key=none` for a default where it applies).';
  return message(text, [section(removed ? `:white_check_mark: ${text}` : text)]);
}

export function renderRunList(
  runs: readonly RunMeta[],
  timeZone: string,
  damaged: readonly DamagedLine[] = [],
): SlackMessage {
  const note = damagedNote(damaged);
  if (runs.length === 0 && note) return message('No readable runs.', [section(note)]);
  if (runs.length === 0) {
    return message('No runs yet.', [section(`*No runs yet.* Upload one with \`${COMMAND} upload\`.`)]);
  }
  const lines = runs.slice(0, MAX_RUNS).map((r) => {
    const h = r.headline;
    const contacts = r.contact_rows === undefined ? '' : ` (${formatInt(r.contact_rows)} contact rows)`;
    const warned = r.warnings?.length ?? 0;
    return `• \`${escapeMrkdwn(r.run_id)}\` ${formatLocalDateTime(new Date(r.started_at), timeZone)}${r.label ? ` · ${escapeMrkdwn(r.label)}` : ''} · ${formatInt(h.companies)} companies${contacts} · ${formatPercent(h.companies > 0 ? h.qualified / h.companies : null)} qualified · ${formatInt(h.api_total)} calls${warned > 0 ? ` · :warning: ${warned} warning${warned === 1 ? '' : 's'}` : ''}`;
  });
  const blocks: KnownBlock[] = [header(`Recent runs (${formatInt(runs.length)})`), section(lines.join('\n'))];
  if (runs.length > MAX_RUNS) blocks.push(context([`…and ${formatInt(runs.length - MAX_RUNS)} older runs.`]));
  const warned = runs
    .slice(0, MAX_RUNS)
    .filter((r) => (r.warnings?.length ?? 0) > 0)
    .slice(0, WARNED_RUNS_SHOWN);
  if (warned.length > 0) {
    blocks.push(
      context(
        warned.map(
          (r) =>
            `:warning: \`${escapeMrkdwn(r.run_id)}\`: ${(r.warnings ?? []).map((w) => escapeMrkdwn(truncate(w.message, WARNING_CHARS))).join(' • ')}`,
        ),
      ),
    );
  }
  blocks.push(context([`Times in ${timeZone}. Remove one with \`${COMMAND} runs delete <run_id>\`.`]));
  if (note) blocks.push(section(note));
  return message(`${runs.length} runs stored.`, blocks);
}

/** Confirming the deletion of a run whose stored records are damaged (nothing else of it can be shown). */
export function renderDamagedDeleteConfirm(runId: string, record: string): SlackMessage {
  return message(`Delete damaged run ${runId}?`, [
    section(
      `Run \`${escapeMrkdwn(runId)}\` is damaged (its ${escapeMrkdwn(record)} cannot be read). Delete what is left of it?`,
    ),
    actions(
      [
        button('Delete run', ACTIONS.runDeleteConfirm, { value: runId, style: 'danger' }),
        button('Cancel', ACTIONS.runDeleteCancel, { value: runId }),
      ],
      BLOCKS.runDelete,
    ),
  ]);
}

export function renderDeleteConfirm(run: RunMeta): SlackMessage {
  return message(`Delete run ${run.run_id}?`, [
    section(
      `Delete run \`${escapeMrkdwn(run.run_id)}\` (${formatInt(run.headline.companies)} companies, started ${run.started_at})? Its companies and figures leave every dashboard.`,
    ),
    actions(
      [
        button('Delete run', ACTIONS.runDeleteConfirm, { value: run.run_id, style: 'danger' }),
        button('Cancel', ACTIONS.runDeleteCancel, { value: run.run_id }),
      ],
      BLOCKS.runDelete,
    ),
  ]);
}

function describeSource(source: SettingSource, timeZone: string): string {
  if (source.kind === 'set') {
    const when = source.set_at ? formatLocalDateTime(new Date(source.set_at), timeZone) : '';
    return `set by <@${escapeMrkdwn(source.set_by ?? '')}> on ${when}`;
  }
  return source.kind === 'environment' ? 'from DEFAULT_TIMEZONE' : 'default';
}

/** A channel's ROI assumption: its own setting, or inherited from the workspace (set or default). */
function describeChannelSource(source: SettingSource, timeZone: string): string {
  if (source.scope === 'channel') return describeSource(source, timeZone);
  return source.kind === 'set' ? 'workspace setting' : 'default';
}

/** `damaged`: the note naming a damaged settings record (the values shown are then the defaults). */
export function renderSettings(settings: ResolvedSettings, damaged: string | null = null): SlackMessage {
  const formatAmount = (n: number) => formatMoney(n, settings.currency);
  const tz = settings.timezone;
  const src = settings.sources;
  const channelLines = CAMPAIGNS.map((c) => {
    const r = settings.roi[c];
    return `• *${c}*: ${formatAmount(r.cost_per_contact)} per contact (${describeChannelSource(r.sources.cost_per_contact, tz)}) · ${formatAmount(r.revenue_per_conversion)} per conversion (${describeChannelSource(r.sources.revenue_per_conversion, tz)})`;
  });
  return message(
    `Settings: rate_limit=${settings.rate_limit}, timezone=${tz}, cost_per_contact=${settings.cost_per_contact}, revenue_per_conversion=${settings.revenue_per_conversion}, credit_cost=${settings.credit_cost ?? 'not set'}, currency=${settings.currency ?? 'not set'}`,
    [
      header('Apollo dashboard settings'),
      section(
        [
          `• *rate_limit*: ${formatInt(settings.rate_limit)} requests/min (${describeSource(src.rate_limit, tz)})`,
          `• *timezone*: ${escapeMrkdwn(tz)} (${describeSource(src.timezone, tz)})`,
          `• *cost_per_contact*: ${formatAmount(settings.cost_per_contact)} (${describeSource(src.cost_per_contact, tz)})`,
          `• *revenue_per_conversion*: ${formatAmount(settings.revenue_per_conversion)} (${describeSource(src.revenue_per_conversion, tz)})`,
          `• *credit_cost*: ${settings.credit_cost === null ? 'not set (the funnel shows credits only)' : `${formatAmount(settings.credit_cost)} per Apollo credit`} (${describeSource(src.credit_cost, tz)})`,
          `• *currency*: ${settings.currency ?? 'not set (money shows as plain amounts)'} (${describeSource(src.currency, tz)})`,
        ].join('\n'),
      ),
      section(`*ROI assumptions per channel*\n${channelLines.join('\n')}`),
      context([`Change with ${SETTINGS_USAGE}.`]),
      ...(damaged ? [section(damaged)] : []),
    ],
  );
}
