/**
 * The App Home tab: the dashboard summary with a period select (7d, 30d, 90d, all) and a tier
 * filter, then the native charts and tables. Pure: the model and the alerts come in, a view goes out.
 */
import type { HomeView, KnownBlock, PlainTextOption as Option, StaticSelect } from '@slack/types';
import { seriesChart } from '../../blocks/charts.js';
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
import type { DashboardModel, GroupAnalysis } from '../../domain/dashboard.js';
import { formatInt, formatPercent, formatScore, slackDate } from '../../domain/format.js';
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

function byTier1(groups: readonly GroupAnalysis[]): GroupAnalysis[] {
  return [...groups].sort((a, b) => b.tier_1_count - a.tier_1_count || b.count - a.count);
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
    const q = model.qualification_analytics;
    const sorted = {
      ...model,
      qualification_analytics: {
        ...q,
        industry_analysis: focused === 'Tier 1' ? byTier1(q.industry_analysis) : q.industry_analysis,
        geographic_analysis: focused === 'Tier 1' ? byTier1(q.geographic_analysis) : q.geographic_analysis,
      },
    };
    blocks.push(divider());
    const charts = present<DataVisualizationBlock>([
      qualificationTrendChart(model),
      roiChart(model) ?? tierChart(model),
    ]);
    const tables = present([industryTable(sorted, 10), countryTable(sorted, 10), endpointTable(model, 10)]);
    blocks.push(...(charts as unknown as KnownBlock[]), ...tables);
  }
  blocks.push(
    context([
      `Updated ${slackDate(options.updatedAt, options.updatedAt.slice(0, 16).replace('T', ' '))} · refreshed after every run`,
    ]),
  );
  return { type: 'home', blocks: blocks.slice(0, LIMITS.blocksPerView) };
}
