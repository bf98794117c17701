/** Campaign results measured: ROI, the dashboard's campaign section, the funnel, recommendations and trends. */
import {
  type CampaignCounts,
  type CampaignUpdate,
  campaignDateRange,
  channelKey,
  totalsByChannel,
  updatesInRange,
} from './campaigns.js';
import {
  type Currency,
  formatInt,
  formatMoney,
  formatPercent,
  formatPercentValue,
  ratio,
  round,
} from './format.js';
import { CAMPAIGNS, type Campaign } from './model.js';
import type { PeriodInfo } from './period.js';
import { type Trend, computeTrend as trendOf } from './trend.js';

// ---------------------------------------------------------------------------------------------
// ROI, the campaign section, the funnel, recommendations and trends

export interface RoiAssumptions {
  cost_per_contact: number;
  revenue_per_conversion: number;
}

/** The seed's assumptions. */
export const DEFAULT_ROI: RoiAssumptions = { cost_per_contact: 0.5, revenue_per_conversion: 10000 };

export function defaultRoiByChannel(): Record<Campaign, RoiAssumptions> {
  return Object.fromEntries(CAMPAIGNS.map((c) => [c, { ...DEFAULT_ROI }])) as Record<
    Campaign,
    RoiAssumptions
  >;
}

export interface ChannelPerformance {
  channel: Campaign;
  /** `nothing_sent`: no sends recorded in the period; rates and ROI are null, never 0. */
  status: 'active' | 'nothing_sent';
  /** Companies of the period's runs assigned to this campaign. */
  assigned: number;
  sent: number;
  opened: number;
  responded: number;
  converted: number;
  /** Fractions of sent, 0..1 (above 1 only when totals are inconsistent; see warnings). */
  open_rate: number | null;
  response_rate: number | null;
  conversion_rate: number | null;
  cost_per_contact: number;
  revenue_per_conversion: number;
  cost: number;
  revenue: number;
  /** The seed's ROI, a percentage: (revenue - cost) / cost * 100; null when nothing was sent. */
  roi: number | null;
  warnings: string[];
}

export interface CampaignRecommendation {
  area: 'campaign';
  channel: Campaign | null;
  message: string;
  metric: string;
  value: number;
  threshold: number | null;
}

export interface CampaignSection {
  /** Updates dated in the period. */
  updates: number;
  totals: CampaignCounts & { cost: number; revenue: number };
  response_rate: number | null;
  conversion_rate: number | null;
  roi: number | null;
  campaign_comparison: Record<Campaign, ChannelPerformance>;
  /** The channel with the highest ROI among those that sent something; null when none did. */
  best_performing_campaign: Campaign | null;
  recommended_actions: CampaignRecommendation[];
  /** Totals that do not add up (e.g. more responses than sends), shown rather than hidden. */
  warnings: string[];
}

export type FunnelStepName =
  | 'discovered'
  | 'qualified'
  | 'assigned'
  | 'contacted'
  | 'responded'
  | 'converted';

export interface FunnelStep {
  step: FunnelStepName;
  label: string;
  count: number;
  /** count / the step before; null for the first step or when the step before is 0. */
  rate_from_previous: number | null;
  note: string | null;
}

export interface Funnel {
  steps: FunnelStep[];
  /** converted / discovered. */
  overall_rate: number | null;
  credits_used: number;
  /** Money per Apollo credit (`settings credit_cost=`), null when not set. */
  credit_cost: number | null;
  cost_per_qualified_account: { credits: number | null; money: number | null };
  credits_per_tier_1_account: number | null;
  cost_per_tier_1_account: number | null;
}

function money(n: number): number {
  return round(n, 2);
}

/** A percentage ROI as text: `1,900%`, `-20.0%`; null -> `n/a`. */
export function formatRoi(roi: number | null): string {
  return formatPercentValue(roi);
}

export function channelPerformance(
  channel: Campaign,
  counts: CampaignCounts,
  assumptions: RoiAssumptions,
  assigned: number,
): ChannelPerformance {
  const { sent, opened, responded, converted } = counts;
  const cost = money(sent * assumptions.cost_per_contact);
  const revenue = money(converted * assumptions.revenue_per_conversion);
  const warnings: string[] = [];
  for (const [field, value] of [
    ['opened', opened],
    ['responded', responded],
    ['converted', converted],
  ] as const) {
    if (value > sent) {
      warnings.push(
        `${channel}: ${formatInt(value)} ${field} but only ${formatInt(sent)} sent in this period; check the updates (\`campaign ${channelKey(channel)} set …\` corrects a date).`,
      );
    }
  }
  return {
    channel,
    status: sent > 0 ? 'active' : 'nothing_sent',
    assigned,
    sent,
    opened,
    responded,
    converted,
    open_rate: ratio(opened, sent),
    response_rate: ratio(responded, sent),
    conversion_rate: ratio(converted, sent),
    cost_per_contact: assumptions.cost_per_contact,
    revenue_per_conversion: assumptions.revenue_per_conversion,
    cost,
    revenue,
    roi: cost > 0 ? round(((revenue - cost) / cost) * 100, 4) : null,
    warnings,
  };
}

/** Channels need this many sends before their rates are compared with others. */
export const MIN_SENT_TO_JUDGE = 100;
/** A response rate below this share of the other channels' is "below by a wide margin"… */
export const LOW_RESPONSE_FACTOR = 0.5;
/** …and at least this far below, in rate (1 point). */
export const LOW_RESPONSE_GAP = 0.01;
/** ROI points between the best and the worst channel before moving money is suggested. */
export const ROI_GAP = 100;

function recommendCampaigns(
  channels: readonly ChannelPerformance[],
  currency: Currency | null,
): CampaignRecommendation[] {
  const formatAmount = (n: number) => formatMoney(n, currency);
  const recs: CampaignRecommendation[] = [];
  const judged = channels.filter((c) => c.sent >= MIN_SENT_TO_JUDGE);
  for (const c of judged) {
    const others = judged.filter((o) => o !== c);
    const otherSent = others.reduce((s, o) => s + o.sent, 0);
    if (others.length === 0 || otherSent === 0 || c.response_rate === null) continue;
    const othersRate = others.reduce((s, o) => s + o.responded, 0) / otherSent;
    if (
      c.response_rate < othersRate * LOW_RESPONSE_FACTOR &&
      othersRate - c.response_rate >= LOW_RESPONSE_GAP
    ) {
      recs.push({
        area: 'campaign',
        channel: c.channel,
        message: `Rework ${c.channel} targeting and messaging: its response rate is ${formatPercent(c.response_rate)} (${formatInt(c.responded)} of ${formatInt(c.sent)} sent), less than half of the other channels' ${formatPercent(round(othersRate))} (${others.map((o) => o.channel).join(', ')}).`,
        metric: 'response_rate',
        value: c.response_rate,
        threshold: round(othersRate * LOW_RESPONSE_FACTOR),
      });
    }
  }
  for (const c of channels) {
    if (c.converted > 0 && c.sent > 0 && c.sent < MIN_SENT_TO_JUDGE) {
      recs.push({
        area: 'campaign',
        channel: c.channel,
        message: `Keep ${c.channel} running before judging it: ${formatInt(c.converted)} converted of only ${formatInt(c.sent)} sent (ROI ${formatRoi(c.roi)}); its rates mean little below ${formatInt(MIN_SENT_TO_JUDGE)} sends.`,
        metric: 'sent',
        value: c.sent,
        threshold: MIN_SENT_TO_JUDGE,
      });
    }
  }
  const ranked = judged.filter((c) => c.roi !== null).sort((a, b) => (b.roi ?? 0) - (a.roi ?? 0));
  const best = ranked[0];
  const worst = ranked[ranked.length - 1];
  if (best && worst && best !== worst && (best.roi ?? 0) - (worst.roi ?? 0) >= ROI_GAP) {
    recs.push({
      area: 'campaign',
      channel: best.channel,
      message: `Move budget from ${worst.channel} to ${best.channel}: ROI ${formatRoi(worst.roi)} (${formatAmount(worst.revenue)} revenue on ${formatAmount(worst.cost)} cost) against ${formatRoi(best.roi)} (${formatAmount(best.revenue)} on ${formatAmount(best.cost)}).`,
      metric: 'roi_gap',
      value: round((best.roi ?? 0) - (worst.roi ?? 0), 4),
      threshold: ROI_GAP,
    });
  }
  for (const c of judged) {
    if (c.roi !== null && c.roi < 0) {
      recs.push({
        area: 'campaign',
        channel: c.channel,
        message: `${c.channel} loses money: ${formatAmount(c.cost)} spent on ${formatInt(c.sent)} contacts brought ${formatAmount(c.revenue)} (${formatInt(c.converted)} converted), ROI ${formatRoi(c.roi)}.`,
        metric: 'roi',
        value: c.roi,
        threshold: 0,
      });
    }
  }
  for (const c of channels) {
    if (c.status === 'nothing_sent' && c.assigned > 0) {
      recs.push({
        area: 'campaign',
        channel: c.channel,
        message: `${formatInt(c.assigned)} ${c.assigned === 1 ? 'company was' : 'companies were'} assigned to ${c.channel} but no sends were recorded in this period; record them with \`campaign ${channelKey(c.channel)} sent=N\`.`,
        metric: 'assigned_not_sent',
        value: c.assigned,
        threshold: 0,
      });
    }
  }
  return recs;
}

/** The campaign section of the dashboard from the period's totals per channel. */
export function computeCampaignSection(options: {
  totals: Record<Campaign, CampaignCounts>;
  assigned: Record<Campaign, number>;
  roi: Record<Campaign, RoiAssumptions>;
  updates: number;
  /** The workspace's currency (`settings currency=`), for the money in the recommendations. */
  currency?: Currency | null;
}): CampaignSection {
  const channels = CAMPAIGNS.map((c) =>
    channelPerformance(c, options.totals[c], options.roi[c], options.assigned[c]),
  );
  const sum = (pick: (c: ChannelPerformance) => number) => channels.reduce((s, c) => s + pick(c), 0);
  const totals = {
    sent: sum((c) => c.sent),
    opened: sum((c) => c.opened),
    responded: sum((c) => c.responded),
    converted: sum((c) => c.converted),
    cost: money(sum((c) => c.cost)),
    revenue: money(sum((c) => c.revenue)),
  };
  const ranked = channels
    .filter((c) => c.roi !== null)
    .sort((a, b) => (b.roi ?? 0) - (a.roi ?? 0) || b.converted - a.converted);
  return {
    updates: options.updates,
    totals,
    response_rate: ratio(totals.responded, totals.sent),
    conversion_rate: ratio(totals.converted, totals.sent),
    roi: totals.cost > 0 ? round(((totals.revenue - totals.cost) / totals.cost) * 100, 4) : null,
    campaign_comparison: Object.fromEntries(channels.map((c) => [c.channel, c])) as Record<
      Campaign,
      ChannelPerformance
    >,
    best_performing_campaign: ranked[0]?.channel ?? null,
    recommended_actions: recommendCampaigns(channels, options.currency ?? null),
    warnings: channels.flatMap((c) => c.warnings),
  };
}

const STEP_LABELS: Record<FunnelStepName, string> = {
  discovered: 'Discovered in Apollo',
  qualified: 'Qualified (Tier 1-3)',
  assigned: 'Assigned to a campaign',
  contacted: 'Contacted (sent)',
  responded: 'Responded',
  converted: 'Converted',
};

/** The funnel from Apollo discovery to revenue. */
export function computeFunnel(options: {
  discovered: number;
  qualified: number;
  assigned: number;
  tier1: number;
  credits: number;
  creditCost: number | null;
  campaigns: CampaignCounts;
}): Funnel {
  const counts: Array<[FunnelStepName, number]> = [
    ['discovered', options.discovered],
    ['qualified', options.qualified],
    ['assigned', options.assigned],
    ['contacted', options.campaigns.sent],
    ['responded', options.campaigns.responded],
    ['converted', options.campaigns.converted],
  ];
  const steps: FunnelStep[] = counts.map(([step, count], i) => {
    const before = i > 0 ? counts[i - 1] : undefined;
    let note: string | null = null;
    if (before && count > before[1]) {
      note =
        step === 'contacted'
          ? 'More contacts than assigned companies: sends count messages, and may include companies from earlier runs.'
          : `More than the step before (${formatInt(before[1])}); check the figures.`;
    }
    return {
      step,
      label: STEP_LABELS[step],
      count,
      rate_from_previous: before ? ratio(count, before[1]) : null,
      note,
    };
  });
  const { credits, creditCost, qualified, tier1 } = options;
  const perQualified = qualified > 0 ? round(credits / qualified, 4) : null;
  const perTier1 = tier1 > 0 ? round(credits / tier1, 4) : null;
  return {
    steps,
    overall_rate: ratio(options.campaigns.converted, options.discovered),
    credits_used: round(credits),
    credit_cost: creditCost,
    cost_per_qualified_account: {
      credits: perQualified,
      money: perQualified !== null && creditCost !== null ? round(perQualified * creditCost, 4) : null,
    },
    credits_per_tier_1_account: perTier1,
    cost_per_tier_1_account:
      perTier1 !== null && creditCost !== null ? round(perTier1 * creditCost, 4) : null,
  };
}

/** Changes smaller than these are `Stable`: half a point of response, 0.1 point of conversion, 5 % of ROI (≥ 1 point). */
export const CAMPAIGN_TOLERANCE = {
  response_rate: 0.005,
  conversion_rate: 0.001,
  roi_relative: 0.05,
  roi_min: 1,
};

export interface CampaignTrends {
  campaign_response_rate: Trend;
  campaign_conversion_rate: Trend;
  /** ROI in percentage points (today's ROI assumptions applied to both periods). */
  campaign_roi: Trend;
}

export function computeCampaignTrends(
  current: CampaignSection,
  previous: CampaignSection | null,
): CampaignTrends {
  const prevRoi = previous?.roi ?? null;
  return {
    campaign_response_rate: trendOf(
      current.response_rate,
      previous?.response_rate ?? null,
      CAMPAIGN_TOLERANCE.response_rate,
    ),
    campaign_conversion_rate: trendOf(
      current.conversion_rate,
      previous?.conversion_rate ?? null,
      CAMPAIGN_TOLERANCE.conversion_rate,
    ),
    campaign_roi: trendOf(
      current.roi,
      prevRoi,
      prevRoi === null
        ? 0
        : Math.max(CAMPAIGN_TOLERANCE.roi_min, Math.abs(prevRoi) * CAMPAIGN_TOLERANCE.roi_relative),
      4,
    ),
  };
}

/** Everything the dashboard adds for campaigns, from all updates and the period. */
export function campaignPeriodTotals(
  updates: readonly CampaignUpdate[],
  window: { start: string | null; end: string | null },
  period: Pick<PeriodInfo, 'key' | 'time_zone'>,
): { totals: Record<Campaign, CampaignCounts>; updates: number } {
  const range = campaignDateRange(window, { timeZone: period.time_zone, key: period.key });
  return { totals: totalsByChannel(updates, range), updates: updatesInRange(updates, range) };
}

/** One channel's results over a period (the answer to an update shows the default period's). */
export function channelPeriodPerformance(
  updates: readonly CampaignUpdate[],
  channel: Campaign,
  period: PeriodInfo,
  roi: RoiAssumptions,
): ChannelPerformance {
  const { totals } = campaignPeriodTotals(updates, period, period);
  return channelPerformance(channel, totals[channel], roi, 0);
}
