/** Campaign surfaces: update answers, the update form, the undo confirmation, and the dashboard's campaign section and funnel. */
import type { KnownBlock, View } from '@slack/types';
import {
  CAMPAIGN_COUNTS,
  type CampaignCounts,
  type CampaignUpdate,
  type ChannelPerformance,
  channelKey,
  describeUpdate,
  type Funnel,
  formatAmount,
  formatRoi,
} from '../domain/campaigns.js';
import type { DashboardModel, Trend } from '../domain/dashboard.js';
import { formatInt, formatPercent } from '../domain/format.js';
import { CAMPAIGNS } from '../domain/model.js';
import { formatLocalDateTime } from '../domain/time.js';
import { ACTIONS, BLOCKS, COMMAND, VIEWS } from '../ids.js';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  fields,
  LIMITS,
  message,
  type SlackMessage,
  section,
  truncate,
} from './kit.js';

export interface CampaignModalMetadata {
  channel_id: string;
  /** The workspace's time zone when the form was opened, for "today" at submission. */
  tz: string;
}

/** Rate, or "n/a" when nothing was sent (never a 0 % that was not measured). */
function rateOf(count: number, rate: number | null, digits = 1): string {
  return rate === null ? formatInt(count) : `${formatInt(count)} (${formatPercent(rate, digits)})`;
}

function channelFields(p: ChannelPerformance): string[] {
  return [
    `*Sent*\n${formatInt(p.sent)}`,
    `*Opened*\n${rateOf(p.opened, p.open_rate)}`,
    `*Responded*\n${rateOf(p.responded, p.response_rate)}`,
    `*Converted*\n${rateOf(p.converted, p.conversion_rate, 2)}`,
    `*Cost / revenue*\n${formatAmount(p.cost)} / ${formatAmount(p.revenue)}`,
    `*ROI*\n${p.status === 'nothing_sent' ? 'n/a (nothing sent)' : formatRoi(p.roi)}`,
  ];
}

function change(before: CampaignCounts, after: CampaignCounts, update: CampaignUpdate): string {
  return CAMPAIGN_COUNTS.map((c) =>
    update[c] === undefined
      ? `${c} ${formatInt(after[c])} (kept)`
      : `${c} ${formatInt(before[c])} → ${formatInt(after[c])}`,
  ).join(' · ');
}

/** The answer to a recorded update (or a batch from the API): what was recorded and the channel's new totals. */
export function renderCampaignRecorded(options: {
  update: CampaignUpdate;
  before: CampaignCounts;
  after: CampaignCounts;
  periodLabel: string;
  performance: ChannelPerformance;
  timeZone: string;
}): SlackMessage {
  const { update, before, after, performance: p } = options;
  const channel = update.channel;
  const head =
    update.mode === 'set'
      ? `:pencil2: *${channel} on ${update.date} corrected.* Replaced: ${change(before, after, update)}.`
      : `:white_check_mark: *Recorded for ${channel} on ${update.date}:* ${CAMPAIGN_COUNTS.map((c) => `+${formatInt(update[c] ?? 0)} ${c}`).join(' · ')}.`;
  const blocks: KnownBlock[] = [
    section(head),
    section(`*${channel}, ${escapeMrkdwn(options.periodLabel.toLowerCase())}*`),
    fields(channelFields(p)),
  ];
  const warnings = [...p.warnings];
  for (const c of ['opened', 'responded', 'converted'] as const) {
    if (after[c] > after.sent) {
      warnings.push(
        `On ${update.date}, ${channel} now has ${formatInt(after[c])} ${c} but ${formatInt(after.sent)} sent.`,
      );
    }
  }
  if (warnings.length > 0) blocks.push(section(warnings.map((w) => `:warning: ${w}`).join('\n')));
  blocks.push(
    context([
      `ROI assumes ${formatAmount(p.cost_per_contact)} per contact and ${formatAmount(p.revenue_per_conversion)} per conversion (\`${COMMAND} settings\`). Dates are in ${escapeMrkdwn(options.timeZone)}. Take it back with \`${COMMAND} campaign undo\`.`,
    ]),
  );
  const text =
    update.mode === 'set'
      ? `${channel} on ${update.date} corrected: ${change(before, after, update)}.`
      : `Recorded for ${channel} on ${update.date}: ${formatInt(update.sent ?? 0)} sent. ${channel}, ${options.periodLabel.toLowerCase()}: ${formatInt(p.sent)} sent, ROI ${formatRoi(p.roi)}.`;
  return message(text, blocks);
}

function describeWhen(update: CampaignUpdate, timeZone: string): string {
  const at = new Date(update.at);
  return Number.isNaN(at.getTime()) ? '' : ` (recorded ${formatLocalDateTime(at, timeZone)} ${timeZone})`;
}

export function renderUndoConfirm(update: CampaignUpdate, timeZone: string): SlackMessage {
  return message(`Remove your last campaign update? ${describeUpdate(update)}`, [
    section(
      `Remove your last campaign update?\n*${escapeMrkdwn(describeUpdate(update))}*${escapeMrkdwn(describeWhen(update, timeZone))}`,
    ),
    actions(
      [
        button('Remove update', ACTIONS.campaignUndoConfirm, { value: update.id, style: 'danger' }),
        button('Keep it', ACTIONS.campaignUndoCancel, { value: update.id }),
      ],
      BLOCKS.campaignUndo,
    ),
  ]);
}

export function renderNothingToUndo(): SlackMessage {
  const text = 'You have no campaign updates to undo.';
  return message(text, [
    section(
      `${text} Record one with \`${COMMAND} campaign email sent=N\`, or \`${COMMAND} campaign\` for a form.`,
    ),
  ]);
}

export function renderUndoDone(removed: CampaignUpdate, after: CampaignCounts): SlackMessage {
  const what = describeUpdate(removed);
  const now = CAMPAIGN_COUNTS.map((c) => `${c} ${formatInt(after[c])}`).join(' · ');
  return message(`Removed your update: ${what}. ${removed.channel} on ${removed.date} is now ${now}.`, [
    section(
      `:wastebasket: Removed your update: *${escapeMrkdwn(what)}*.\n${removed.channel} on ${removed.date} is now ${now}.`,
    ),
  ]);
}

export function renderUndoGone(): SlackMessage {
  const text = 'That update was already removed; nothing changed.';
  return message(text, [section(text)]);
}

export function renderUndoKept(): SlackMessage {
  const text = 'Kept your campaign update; nothing was removed.';
  return message(text, [section(text)]);
}

function numberInput(blockId: string, actionId: string, label: string, optional: boolean): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'number_input',
      action_id: actionId,
      is_decimal_allowed: false,
      min_value: '0',
    },
  } as KnownBlock;
}

/** The update form: a channel select, four number inputs and a date picker (today by default). */
export function renderCampaignModal(meta: CampaignModalMetadata & { today: string }): View {
  const options = CAMPAIGNS.map((c) => ({
    text: { type: 'plain_text' as const, text: c },
    value: channelKey(c),
  }));
  const blocks: KnownBlock[] = [
    section(
      'Record how a campaign did. The figures are added to that channel and date; to correct a date, use `campaign <channel> set …`.',
    ),
    {
      type: 'input',
      block_id: BLOCKS.campaignChannel,
      label: { type: 'plain_text', text: 'Channel' },
      element: {
        type: 'static_select',
        action_id: ACTIONS.campaignChannel,
        placeholder: { type: 'plain_text', text: 'Email, LinkedIn or Content' },
        options,
      },
    },
    numberInput(BLOCKS.campaignSent, ACTIONS.campaignSent, 'Sent', false),
    numberInput(BLOCKS.campaignOpened, ACTIONS.campaignOpened, 'Opened', true),
    numberInput(BLOCKS.campaignResponded, ACTIONS.campaignResponded, 'Responded', true),
    numberInput(BLOCKS.campaignConverted, ACTIONS.campaignConverted, 'Converted', true),
    {
      type: 'input',
      block_id: BLOCKS.campaignDate,
      label: { type: 'plain_text', text: `Date (${truncate(meta.tz, 60)})` },
      element: { type: 'datepicker', action_id: ACTIONS.campaignDate, initial_date: meta.today },
    },
  ];
  const metadata: CampaignModalMetadata = { channel_id: meta.channel_id, tz: meta.tz };
  return {
    type: 'modal',
    callback_id: VIEWS.campaign,
    title: { type: 'plain_text', text: 'Campaign update' },
    submit: { type: 'plain_text', text: 'Record' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: truncate(JSON.stringify(metadata), LIMITS.privateMetadata),
    blocks,
  };
}

const TOP = 5;

function channelLine(p: ChannelPerformance, best: boolean): string {
  if (p.status === 'nothing_sent') {
    const extra = CAMPAIGN_COUNTS.filter((c) => c !== 'sent' && p[c] > 0).map(
      (c) => `${formatInt(p[c])} ${c}`,
    );
    return `• *${p.channel}*: nothing sent in this period${p.assigned > 0 ? ` (${formatInt(p.assigned)} companies assigned)` : ''}${extra.length > 0 ? ` · ${extra.join(' · ')}` : ''} · ROI n/a`;
  }
  return (
    `• *${p.channel}*${best ? ' :trophy:' : ''}: ${formatInt(p.sent)} sent · ${formatPercent(p.open_rate)} opened · ` +
    `${formatPercent(p.response_rate)} responded · ${formatPercent(p.conversion_rate, 2)} converted (${formatInt(p.converted)}) · ` +
    `cost ${formatAmount(p.cost)} · revenue ${formatAmount(p.revenue)} · ROI *${formatRoi(p.roi)}*`
  );
}

/** The campaign section of the dashboard: assignments, per-channel results, warnings and recommendations. */
export function renderCampaignSection(model: DashboardModel): KnownBlock[] {
  const c = model.campaign_performance;
  const d = c.campaign_distribution;
  const blocks: KnownBlock[] = [];
  const bestName = c.best_performing_campaign;
  const best = bestName ? c.campaign_comparison[bestName] : null;
  const headline =
    c.totals.sent === 0
      ? '*Campaigns* · no sends recorded in this period'
      : `*Campaigns* · ${formatInt(c.totals.sent)} sent · ${formatPercent(c.response_rate)} responded · ${formatPercent(c.conversion_rate, 2)} converted · ROI ${formatRoi(c.roi)}` +
        (best ? ` · best: *${best.channel}* (${formatRoi(best.roi)})` : '');
  const lines = CAMPAIGNS.map((name) => channelLine(c.campaign_comparison[name], name === bestName));
  blocks.push(section(`${headline}\n${lines.join('\n')}`));
  if (c.warnings.length > 0) {
    blocks.push(
      section(
        c.warnings
          .slice(0, TOP)
          .map((w) => `:warning: ${w}`)
          .join('\n'),
      ),
    );
  }
  if (c.recommended_actions.length > 0) {
    const recs = c.recommended_actions.slice(0, TOP).map((r) => `• ${r.message}`);
    if (c.recommended_actions.length > TOP)
      recs.push(`_…and ${c.recommended_actions.length - TOP} more in the export_`);
    blocks.push(section(`*Campaign recommendations*\n${recs.join('\n')}`));
  }
  blocks.push(
    context([
      `Campaign assignment: Email ${formatInt(d.Email)} · LinkedIn ${formatInt(d.LinkedIn)} · Content ${formatInt(d.Content)} · unassigned ${formatInt(d.Unassigned)}`,
    ]),
  );
  return blocks;
}

function funnelRows(funnel: Funnel): string {
  const width = Math.max(...funnel.steps.map((s) => s.label.length));
  const countWidth = Math.max(...funnel.steps.map((s) => formatInt(s.count).length));
  return funnel.steps
    .map((s) => {
      const rate =
        s.rate_from_previous === null ? '' : `  ${formatPercent(s.rate_from_previous).padStart(6)}`;
      return `${s.label.padEnd(width)}  ${formatInt(s.count).padStart(countWidth)}${rate}${s.note ? ' *' : ''}`;
    })
    .join('\n');
}

/** The funnel from discovery to revenue, with the cost of an account in credits (and money). */
export function renderFunnel(model: DashboardModel): KnownBlock[] {
  const f = model.funnel;
  const perQualified = f.cost_per_qualified_account;
  const costs = [
    `Credits used ${formatInt(f.credits_used)}`,
    `per qualified account ${perQualified.credits === null ? 'n/a' : perQualified.credits.toFixed(2)}${perQualified.money === null ? '' : ` (${formatAmount(perQualified.money)})`}`,
    `per Tier 1 account ${f.credits_per_tier_1_account === null ? 'n/a' : f.credits_per_tier_1_account.toFixed(2)}${f.cost_per_tier_1_account === null ? '' : ` (${formatAmount(f.cost_per_tier_1_account)})`}`,
    f.credit_cost === null
      ? 'set `settings credit_cost=` for money'
      : `${formatAmount(f.credit_cost)} per credit`,
  ];
  const notes = f.steps.filter((s) => s.note).map((s) => `* ${s.label}: ${s.note}`);
  return [
    section(
      `*Funnel* · ${formatPercent(f.overall_rate, 2)} of discovered companies converted\n\`\`\`${funnelRows(f)}\`\`\``,
    ),
    context([[...costs, ...notes].join(' · ')]),
  ];
}

function arrowOf(t: Trend): string {
  return t.direction === 'Increasing' ? '↑' : t.direction === 'Decreasing' ? '↓' : '→';
}

/** A campaign rate against the previous period; conversion rates are small, so they take 2 decimals. */
export function campaignRateTrendLine(name: string, t: Trend, digits = 1): string {
  if (t.direction === 'Insufficient data' || t.change === null) {
    return `• ${name}: ${formatPercent(t.current, digits)} · _insufficient data to compare_`;
  }
  const pp = t.change * 100;
  const change = `${pp >= 0 ? '+' : '−'}${Math.abs(pp).toFixed(digits)} pp`;
  return `• ${name}: ${formatPercent(t.current, digits)} (${change} vs ${formatPercent(t.previous, digits)}) ${arrowOf(t)} ${t.direction}`;
}

/** ROI against the previous period, in percentage points. */
export function roiTrendLine(t: Trend): string {
  if (t.direction === 'Insufficient data' || t.change === null) {
    return `• Campaign ROI: ${formatRoi(t.current)} · _insufficient data to compare_`;
  }
  const sign = t.change >= 0 ? '+' : '−';
  return `• Campaign ROI: ${formatRoi(t.current)} (${sign}${formatInt(Math.round(Math.abs(t.change)))} pts vs ${formatRoi(t.previous)}) ${arrowOf(t)} ${t.direction}`;
}

/** One line of the dashboard's text fallback, when campaigns sent anything. */
export function campaignSummaryText(model: DashboardModel): string {
  const c = model.campaign_performance;
  if (c.totals.sent === 0) return '';
  return ` Campaigns: ${formatInt(c.totals.sent)} sent, ${formatPercent(c.response_rate)} responded, ROI ${formatRoi(c.roi)}${c.best_performing_campaign ? ` (best ${c.best_performing_campaign})` : ''}.`;
}
