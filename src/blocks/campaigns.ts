/** The dashboard's campaign surfaces: the campaign section, the funnel, and their trend lines. */

import type { KnownBlock } from '@slack/types';
import { type ChannelPerformance, type Funnel, formatRoi } from '../domain/campaign-metrics.js';
import { CAMPAIGN_COUNTS } from '../domain/campaigns.js';
import type { DashboardModel, Trend } from '../domain/dashboard.js';
import { type Currency, formatInt, formatMoney, formatPercent } from '../domain/format.js';
import { CAMPAIGNS } from '../domain/model.js';
import { context, section } from './kit.js';

const TOP = 5;

function channelLine(p: ChannelPerformance, best: boolean, currency: Currency | null): string {
  if (p.status === 'nothing_sent') {
    const extra = CAMPAIGN_COUNTS.filter((c) => c !== 'sent' && p[c] > 0).map(
      (c) => `${formatInt(p[c])} ${c}`,
    );
    return `• *${p.channel}*: nothing sent in this period${p.assigned > 0 ? ` (${formatInt(p.assigned)} companies assigned)` : ''}${extra.length > 0 ? ` · ${extra.join(' · ')}` : ''} · ROI n/a`;
  }
  return (
    `• *${p.channel}*${best ? ' :trophy:' : ''}: ${formatInt(p.sent)} sent · ${formatPercent(p.open_rate)} opened · ` +
    `${formatPercent(p.response_rate)} responded · ${formatPercent(p.conversion_rate, 2)} converted (${formatInt(p.converted)}) · ` +
    `cost ${formatMoney(p.cost, currency)} · revenue ${formatMoney(p.revenue, currency)} · ROI *${formatRoi(p.roi)}*`
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
  const lines = CAMPAIGNS.map((name) =>
    channelLine(c.campaign_comparison[name], name === bestName, model.currency),
  );
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
  const formatAmount = (n: number) => formatMoney(n, model.currency);
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
