/** Campaign surfaces: update answers, the update form and the undo confirmation. */

import type { KnownBlock, View } from '@slack/types';
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
} from '../../blocks/kit.js';
import { type ChannelPerformance, formatRoi } from '../../domain/campaign-metrics.js';
import {
  CAMPAIGN_COUNTS,
  type CampaignCounts,
  type CampaignUpdate,
  channelKey,
  describeUpdate,
} from '../../domain/campaigns.js';
import { type Currency, formatInt, formatMoney, formatPercent } from '../../domain/format.js';
import { CAMPAIGNS } from '../../domain/model.js';
import { formatLocalDateTime } from '../../domain/time.js';
import { ACTIONS, BLOCKS, COMMAND, VIEWS } from '../../ids.js';

export interface CampaignModalMetadata {
  channel_id: string;
  /** The workspace's time zone when the form was opened, for "today" at submission. */
  tz: string;
}

/** Rate, or "n/a" when nothing was sent (never a 0 % that was not measured). */
function rateOf(count: number, rate: number | null, digits = 1): string {
  return rate === null ? formatInt(count) : `${formatInt(count)} (${formatPercent(rate, digits)})`;
}

function channelFields(p: ChannelPerformance, currency: Currency | null): string[] {
  const formatAmount = (n: number) => formatMoney(n, currency);
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
  /** The workspace's currency (`settings currency=`). */
  currency?: Currency | null;
}): SlackMessage {
  const { update, before, after, performance: p } = options;
  const formatAmount = (n: number) => formatMoney(n, options.currency ?? null);
  const channel = update.channel;
  const head =
    update.mode === 'set'
      ? `:pencil2: *${channel} on ${update.date} corrected.* Replaced: ${change(before, after, update)}.`
      : `:white_check_mark: *Recorded for ${channel} on ${update.date}:* ${CAMPAIGN_COUNTS.map((c) => `+${formatInt(update[c] ?? 0)} ${c}`).join(' · ')}.`;
  const blocks: KnownBlock[] = [
    section(head),
    section(`*${channel}, ${escapeMrkdwn(options.periodLabel.toLowerCase())}*`),
    fields(channelFields(p, options.currency ?? null)),
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

/** The answer to `campaign repair`. */
export function renderCampaignRepair(outcome: {
  removed: readonly string[];
  indexDamaged: boolean;
}): SlackMessage {
  if (outcome.indexDamaged) {
    const text =
      'The campaign updates index is damaged, so it was left as it is: without it the stored updates cannot be found. It has to be recovered by hand from the store (see the operations guide).';
    return message(text, [section(`:warning: ${text}`)]);
  }
  if (outcome.removed.length === 0) {
    const text = 'No damaged campaign records were found; nothing was removed.';
    return message(text, [section(text)]);
  }
  const names = outcome.removed.map((n) => `\`${escapeMrkdwn(n)}\``).join(', ');
  const text = `Removed ${outcome.removed.length} damaged campaign record${outcome.removed.length === 1 ? '' : 's'}: ${names}. The updates they held are gone; the totals were folded again from the updates left.`;
  return message(text, [section(`:white_check_mark: ${text}`)]);
}
