/**
 * The App Home tab: the dashboard summary with a period select (7d, 30d, 90d, all) and a tier
 * filter, then the native charts and tables. Pure: the model and the alerts come in, a view goes out.
 */
import type { HomeView, KnownBlock, PlainTextOption as Option, StaticSelect } from '@slack/types';
import { dataTable, seriesChart } from '../../blocks/charts.js';
import {
  countryTable,
  type DashboardAlerts,
  endpointTable,
  industryTable,
  present,
  qualificationTrendChart,
  renderDashboardSummary,
  tierChart,
} from '../../blocks/dashboard.js';
import { context, type DataVisualizationBlock, divider, LIMITS, section } from '../../blocks/kit.js';
import { formatRoi } from '../../domain/campaign-metrics.js';
import type { DashboardModel, GroupAnalysis } from '../../domain/dashboard.js';
import {
  formatInt,
  formatMoney,
  formatPercent,
  formatScore,
  ratio,
  round,
  slackDate,
} from '../../domain/format.js';
import { TIERS, type Tier } from '../../domain/model.js';
import { ACTIONS, BLOCKS } from '../../ids.js';

export const HOME_PERIODS = ['7d', '30d', '90d', 'all'] as const;
export type HomePeriod = (typeof HOME_PERIODS)[number];
export const HOME_TIERS = ['all', ...TIERS] as const;
export type HomeTier = (typeof HOME_TIERS)[number];

const PERIOD_WORDS: Record<HomePeriod, string> = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  all: 'All runs',
};

function option(text: string, value: string): Option {
  return { text: { type: 'plain_text', text }, value };
}

function select(actionId: string, options: Option[], initial: Option): StaticSelect {
  return { type: 'static_select', action_id: actionId, options, initial_option: initial };
}

function filters(period: HomePeriod, tier: HomeTier): KnownBlock {
  const periods = HOME_PERIODS.map((p) => option(PERIOD_WORDS[p], p));
  const tiers = HOME_TIERS.map((t) => option(t === 'all' ? 'All tiers' : t, t));
  return {
    type: 'actions',
    block_id: BLOCKS.homeFilters,
    elements: [
      select(ACTIONS.homePeriod, periods, periods[HOME_PERIODS.indexOf(period)] as Option),
      select(ACTIONS.homeTier, tiers, tiers[HOME_TIERS.indexOf(tier)] as Option),
    ],
  };
}

/** The tier filter: that tier's figures, and the groups ordered by how many Tier 1 accounts they hold. */
function tierSection(model: DashboardModel, tier: Tier): KnownBlock {
  const tb = model.qualification_analytics.tier_breakdown[tier];
  const range = tb.min_score === null ? 'n/a' : `${formatScore(tb.min_score)} – ${formatScore(tb.max_score)}`;
  return section(
    `*${tier}*: ${formatInt(tb.count)} companies (${formatPercent(tb.share)} of the period) · mean score ${formatScore(tb.average_score)} · range ${range}`,
  );
}

const TIER1_ROWS = 10;

/**
 * A group table filtered to Tier 1: each group's Tier 1 accounts, from the Tier 1 count every stored
 * aggregate keeps per industry, size band and country. Groups without a Tier 1 account are left out.
 */
function tier1GroupTable(caption: string, first: string, groups: readonly GroupAnalysis[], total: number) {
  const sorted = groups
    .filter((g) => g.tier_1_count > 0)
    .sort((a, b) => b.tier_1_count - a.tier_1_count || a.name.localeCompare(b.name))
    .map((g) => ({ name: g.name, tier1: g.tier_1_count, count: g.count }));
  // At most TIER1_ROWS rows; past that the last one adds up the rest, so no Tier 1 account drops out.
  const shown = sorted.slice(0, sorted.length > TIER1_ROWS ? TIER1_ROWS - 1 : TIER1_ROWS);
  const rest = sorted.slice(shown.length);
  if (rest.length > 0) {
    shown.push({
      name: `All others (${formatInt(rest.length)} names)`,
      tier1: rest.reduce((n, g) => n + g.tier1, 0),
      count: rest.reduce((n, g) => n + g.count, 0),
    });
  }
  const rows = shown.map((g) => {
    const ofTier = ratio(g.tier1, total);
    const ofGroup = ratio(g.tier1, g.count);
    return [
      g.name,
      { value: g.tier1, text: formatInt(g.tier1) },
      { value: round((ofTier ?? 0) * 100, 1), text: formatPercent(ofTier) },
      { value: round((ofGroup ?? 0) * 100, 1), text: formatPercent(ofGroup) },
      { value: g.count, text: formatInt(g.count) },
    ];
  });
  return dataTable({
    caption: `${caption} · Tier 1`,
    header: [first, 'Tier 1', 'Share of Tier 1', 'Tier 1 of group', 'All companies'],
    rows,
    pageSize: 5,
  });
}

/**
 * What the tier filter can and cannot narrow, said in the view. Stored aggregates keep a Tier 1 count
 * per industry, size band and country, but no count of the other tiers per group, and API calls are
 * not made per tier.
 */
function tierScopeNote(tier: Tier): KnownBlock {
  return context([
    tier === 'Tier 1'
      ? 'Tables below are filtered to Tier 1 (the industry and country tables count Tier 1 accounts). The trend and tier charts and the API endpoints are for all tiers: runs are not split by tier there.'
      : `Tables and charts below are for *all tiers*: stored runs count companies per industry and country for Tier 1 only, not for ${tier}. ${tier}'s own figures are in the line above.`,
  ]);
}

/** Campaign ROI by channel as a bar chart, when campaigns were recorded (else the tier chart). */
function roiChart(model: DashboardModel): DataVisualizationBlock | null {
  const channels = Object.values(model.campaign_performance.campaign_comparison).filter(
    (c) => c.roi !== null,
  );
  if (channels.length === 0) return null;
  return seriesChart({
    kind: 'bar',
    title: 'Campaign ROI by channel (%)',
    categories: channels.map((c) => c.channel),
    series: [{ name: 'ROI %', values: channels.map((c) => Math.round(c.roi ?? 0)) }],
    xLabel: 'Channel',
    yLabel: 'ROI (%)',
  });
}

/** The period's campaign money, once sends were recorded: the text beside the ROI chart. */
function campaignLine(model: DashboardModel): KnownBlock | null {
  const c = model.campaign_performance;
  if (c.totals.sent === 0) return null;
  return section(
    `*Campaigns* · ${formatInt(c.totals.sent)} sent · cost ${formatMoney(c.totals.cost, model.currency)} · revenue ${formatMoney(c.totals.revenue, model.currency)} · ROI ${formatRoi(c.roi)}`,
  );
}

export function renderHomeView(options: {
  model: DashboardModel;
  alerts: DashboardAlerts;
  period: HomePeriod;
  tier: HomeTier;
  updatedAt: string;
}): HomeView {
  const { model, period, tier } = options;
  const summary = renderDashboardSummary(model, { alerts: options.alerts });
  // The summary's buttons answer in a channel; the Home tab has its own filters and the detail below.
  const blocks = summary.blocks.filter((b) => b.type !== 'actions') as KnownBlock[];
  blocks.splice(1, 0, filters(period, tier));
  if (model.runs.count > 0) {
    const focused = tier === 'all' ? null : tier;
    if (focused) blocks.push(tierSection(model, focused));
    const money = campaignLine(model);
    if (money) blocks.push(money);
    blocks.push(divider());
    if (focused) blocks.push(tierScopeNote(focused));
    const charts = present<DataVisualizationBlock>([
      qualificationTrendChart(model),
      roiChart(model) ?? tierChart(model),
    ]);
    const q = model.qualification_analytics;
    const tier1 = model.executive_summary.tier_1_targets;
    const groupTables =
      focused === 'Tier 1'
        ? [
            tier1GroupTable('Industries', 'Industry', q.industry_analysis, tier1),
            tier1GroupTable('Countries', 'Country', q.geographic_analysis, tier1),
          ]
        : [industryTable(model, 10), countryTable(model, 10)];
    const tables = present([...groupTables, endpointTable(model, 10)]);
    blocks.push(...(charts as unknown as KnownBlock[]), ...tables);
  }
  blocks.push(
    context([
      `Updated ${slackDate(options.updatedAt, options.updatedAt.slice(0, 16).replace('T', ' '))} · refreshed after every run`,
    ]),
  );
  return { type: 'home', blocks: blocks.slice(0, LIMITS.blocksPerView) };
}
