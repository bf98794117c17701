/** The dashboard as a Slack message: key figures at a glance, always within Slack's limits. */
import type { DashboardModel, GroupAnalysis, Trend } from '../domain/dashboard.js';
import { OTHER_GROUPS } from '../domain/dashboard-model.js';
import {
  formatInt,
  formatPercent,
  formatPointChange,
  formatScore,
  formatSeconds,
  formatSignedInt,
  formatSignedSeconds,
  formatVerdict,
  round,
} from '../domain/format.js';
import { SCORE_BUCKETS, TIERS } from '../domain/model.js';
import { dashboardStatus } from '../domain/recommendations.js';
import { formatLocalDateTime } from '../domain/time.js';
import { trendVerdict } from '../domain/trend.js';
import { ACTIONS, BLOCKS, COMMAND } from '../ids.js';
import {
  campaignRateTrendLine,
  campaignSummaryText,
  renderCampaignSection,
  renderFunnel,
  roiTrendLine,
} from './campaigns.js';
import { dataTable, seriesChart } from './charts.js';
import {
  type AnyMessageBlock,
  actions,
  button,
  context,
  type DataVisualizationBlock,
  divider,
  escapeMrkdwn,
  fields,
  header,
  message,
  type SlackMessage,
  section,
} from './kit.js';

const TOP = 5;

function periodLine(model: DashboardModel): string {
  const { period, runs } = model;
  const tz = period.time_zone;
  const from = period.start ? formatLocalDateTime(new Date(period.start), tz) : null;
  const to = period.end
    ? formatLocalDateTime(new Date(period.end), tz)
    : formatLocalDateTime(new Date(model.generated_at), tz);
  const span = from ? `${from} → ${to} ${tz}` : `up to ${to} ${tz}`;
  return `${span} · ${formatInt(runs.count)} run${runs.count === 1 ? '' : 's'}`;
}

function groupLines(groups: readonly GroupAnalysis[], limit = TOP): string {
  const shown = groups
    .slice(0, limit)
    .map(
      (g) =>
        `• *${escapeMrkdwn(g.name)}*: ${formatInt(g.count)} (${formatPercent(g.share)}) · mean ${formatScore(g.average_score)} · ${formatInt(g.high_scorers)} ≥80 · ${formatInt(g.tier_1_count)} Tier 1`,
    );
  const rest = groups.slice(limit).reduce((n, g) => n + (g.names ?? 1), 0);
  if (rest > 0) shown.push(`_…and ${formatInt(rest)} more_`);
  return shown.join('\n');
}

function bar(count: number, max: number, width = 16): string {
  if (max === 0 || count === 0) return '';
  return '█'.repeat(Math.max(1, Math.round((count / max) * width)));
}

function arrow(t: Trend): string {
  switch (t.direction) {
    case 'Increasing':
      return '↑';
    case 'Decreasing':
      return '↓';
    case 'Stable':
      return '→';
    default:
      return '·';
  }
}

function trendLine(name: string, t: Trend, kind: 'rate' | 'seconds'): string {
  const fmt = kind === 'rate' ? formatPercent : formatSeconds;
  if (t.direction === 'Insufficient data' || t.change === null) {
    return `• ${name}: ${fmt(t.current)} · _insufficient data to compare_`;
  }
  const change = kind === 'rate' ? formatPointChange(t.change) : formatSignedSeconds(t.change);
  return `• ${name}: ${fmt(t.current)} (${change} vs ${fmt(t.previous)}) ${arrow(t)} ${t.direction}`;
}

export function renderDashboardText(model: DashboardModel): string {
  const s = model.executive_summary;
  const api = model.search_performance;
  if (model.runs.count === 0)
    return `Apollo dashboard (${model.period.label}): no runs in this period.${campaignSummaryText(model)}`;
  return (
    `Apollo dashboard (${model.period.label}): ${formatInt(s.total_companies_discovered)} discovered, ` +
    `${formatInt(s.total_companies_qualified)} qualified (${formatPercent(s.qualification_rate)}), ` +
    `${formatInt(s.tier_1_targets)} Tier 1 — ${s.overall_performance}. ` +
    `API success ${formatPercent(api.success_rate)}, avg response ${formatSeconds(api.average_response_time)}.` +
    campaignSummaryText(model)
  );
}

export interface DashboardRenderOptions {
  /** Lines from features shown right under the period line (mrkdwn, already escaped). */
  notes?: readonly string[];
  /** One line per open alert incident: the status never reads "Excellent" while one is open. */
  openAlerts?: readonly string[];
}

export function renderDashboardMessage(
  model: DashboardModel,
  options: DashboardRenderOptions = {},
): SlackMessage {
  const blocks: AnyMessageBlock[] = [
    header(`Apollo dashboard · ${model.period.label}`),
    context([periodLine(model)]),
  ];
  if (options.notes && options.notes.length > 0) blocks.push(context(options.notes));
  if (model.runs.count === 0) {
    blocks.push(
      section(
        `*No runs in this period.* Upload one with \`${COMMAND} upload\`, or let the pipeline POST it to \`/api/runs\`. ` +
          `Try a longer period such as \`${COMMAND} all\`, or see \`${COMMAND} help\`.`,
      ),
    );
    if (model.campaign_performance.updates > 0) blocks.push(...renderCampaignSection(model));
    return message(renderDashboardText(model), blocks);
  }
  const s = model.executive_summary;
  const visuals: Array<AnyMessageBlock | null> = [];
  blocks.push(
    section(`*Executive summary* · ${statusLine(model, { notes: [], open: options.openAlerts ?? [] })}`),
    fields([
      `*Discovered*\n${formatInt(s.total_companies_discovered)}`,
      `*Qualified*\n${formatInt(s.total_companies_qualified)} (${formatPercent(s.qualification_rate)})`,
      `*Tier 1 (high priority)*\n${formatInt(s.tier_1_targets)}`,
      `*Tier 2*\n${formatInt(s.tier_2_targets)}`,
      `*Tier 3*\n${formatInt(s.tier_3_targets)}`,
      `*Unqualified*\n${formatInt(s.total_companies_discovered - s.total_companies_qualified)}`,
    ]),
    divider(),
  );

  const api = model.search_performance;
  if (api.source === 'none') {
    blocks.push(section('*Apollo API health*\n_No API calls or metrics were reported for these runs._'));
  } else {
    const rl = api.rate_limit_status;
    blocks.push(
      section('*Apollo API health*'),
      fields([
        `*Calls*\n${formatInt(api.total_calls)} (${formatInt(api.failed_calls)} failed)`,
        `*Success rate*\n${formatPercent(api.success_rate)}`,
        `*Avg response (successful)*\n${formatSeconds(api.average_response_time)}`,
        `*Error rate*\n${formatPercent(api.error_rate)}`,
        `*Credits used*\n${formatInt(api.total_credits_used)}`,
        `*Rate-limited (429)*\n${formatInt(api.rate_limited_calls)}`,
        `*Peak requests/min*\n${rl.peak_requests_per_minute === null ? 'n/a (no call log)' : `${formatInt(rl.peak_requests_per_minute)} of ${formatInt(rl.rate_limit)} (${formatPercent(rl.peak_usage, 0)})`}`,
      ]),
    );
    if (api.performance_issues.length > 0) {
      blocks.push(section(api.performance_issues.map((i) => `:warning: ${escapeMrkdwn(i)}`).join('\n')));
    }
    if (api.endpoints.length > 0) {
      const lines = api.endpoints
        .slice(0, TOP)
        .map(
          (e) =>
            `• \`${escapeMrkdwn(e.endpoint)}\`: ${formatInt(e.total_calls)} calls · ${formatPercent(e.success_rate)} ok · ${formatSeconds(e.average_response_time)}` +
            (e.rate_limited_calls > 0 ? ` · ${formatInt(e.rate_limited_calls)}×429` : ''),
        );
      if (api.endpoints.length > TOP)
        lines.push(`_…and ${formatInt(api.endpoints.length - TOP)} more endpoints_`);
      blocks.push(section(lines.join('\n')));
      if (api.endpoints.length > 1) visuals.push(endpointTable(model, 5));
    }
  }
  blocks.push(divider());

  const q = model.qualification_analytics;
  const d = q.score_distribution;
  blocks.push(
    section('*ICP qualification*'),
    fields([
      `*Median score*\n${formatScore(d.median_score)}`,
      `*Mean score*\n${formatScore(d.average_score)}`,
      `*Range*\n${d.min_score === null ? 'n/a' : `${formatScore(d.min_score)} – ${formatScore(d.max_score)}`}`,
      `*Scored / unscored*\n${formatInt(d.scored)} / ${formatInt(d.unscored)}`,
      `*Quality score*\n${formatScore(q.quality_score.average)}`,
    ]),
  );
  const maxBucket = Math.max(...SCORE_BUCKETS.map((b) => d.score_ranges[b]));
  const histogram = SCORE_BUCKETS.map(
    (b) => `${b.padEnd(6)} ${String(d.score_ranges[b]).padStart(7)} ${bar(d.score_ranges[b], maxBucket)}`,
  ).join('\n');
  const tiers = TIERS.map((t) => {
    const tb = q.tier_breakdown[t];
    return `• *${t}*: ${formatInt(tb.count)} (${formatPercent(tb.share)}) · mean ${formatScore(tb.average_score)}`;
  }).join('\n');
  // Each chart and table follows the text that carries its figures (the fallback where Slack cannot draw it).
  blocks.push(section(`*Score distribution*\n\`\`\`${histogram}\`\`\``), section(`*Tiers*\n${tiers}`));
  visuals.push(tierChart(model));
  blocks.push(section(`*Top industries*\n${groupLines(q.industry_analysis)}`));
  if (q.industry_analysis.length > 1) visuals.push(industryTable(model, 5));
  blocks.push(section(`*Company size (employees)*\n${groupLines(q.size_analysis, 9)}`));
  blocks.push(section(`*Top countries*\n${groupLines(q.geographic_analysis)}`));
  if (q.geographic_analysis.length > 1) visuals.push(countryTable(model, 5));

  blocks.push(divider(), ...renderCampaignSection(model), ...renderFunnel(model), divider());

  if (model.recommendations.length > 0) {
    const recs = model.recommendations.slice(0, TOP).map((r) => `• ${escapeMrkdwn(r.message)}`);
    if (model.recommendations.length > TOP)
      recs.push(`_…and ${model.recommendations.length - TOP} more in the export_`);
    blocks.push(section(`*Recommendations*\n${recs.join('\n')}`));
  } else {
    blocks.push(section('*Recommendations*\nNothing stands out: every figure is within its threshold.'));
  }

  const t = model.trends;
  const prev = t.previous_period
    ? `vs the previous period (${formatInt(t.previous_period.runs)} run${t.previous_period.runs === 1 ? '' : 's'})`
    : 'no previous period to compare with';
  const spark = t.qualification_rate_sparkline;
  blocks.push(
    section(
      `*Trends* · ${prev}\n${trendLine('Qualification rate', t.qualification_rate, 'rate')}\n` +
        `${trendLine('API success rate', t.api_success_rate, 'rate')}\n` +
        `${trendLine('Avg response time', t.average_response_time, 'seconds')}\n` +
        `${campaignRateTrendLine('Campaign response rate', t.campaign_response_rate)}\n` +
        `${campaignRateTrendLine('Campaign conversion rate', t.campaign_conversion_rate, 2)}\n` +
        roiTrendLine(t.campaign_roi),
    ),
  );
  if (spark.chart) {
    blocks.push(
      context([
        `Qualification rate, last ${spark.runs.length} run${spark.runs.length === 1 ? '' : 's'}: ${spark.chart}  (${spark.runs.map((r) => formatPercent(r.qualification_rate, 0)).join(' · ')})`,
      ]),
    );
    visuals.unshift(qualificationTrendChart(model));
  }
  const warnings = uploadWarningLines(model);
  if (warnings.length > 0) blocks.push(context(warnings));
  // Charts and tables come last: every figure in them is in the text above, so when the message
  // runs out of room they are what is left out.
  blocks.push(...present(visuals));
  return message(renderDashboardText(model), blocks);
}

// ---------------------------------------------------------------------------------------------
// Summary first: one screen, read in five seconds.

/** What the alerts feature tells the dashboard: notes (routing, delivery) and one line per open incident. */
export interface DashboardAlerts {
  notes: readonly string[];
  /** One mrkdwn line per open incident (already escaped), e.g. "#3 API success rate 82.0%". */
  open: readonly string[];
}

export const NO_ALERTS: DashboardAlerts = { notes: [], open: [] };

function countChange(t: Trend): string {
  if (t.change === null) return 'no previous period';
  return formatVerdict(t.change, trendVerdict(t, true), formatSignedInt(t.change));
}

function keyFigure(name: string, t: Trend, kind: 'rate' | 'seconds', higherIsBetter: boolean): string {
  const fmt = kind === 'rate' ? formatPercent : formatSeconds;
  if (t.change === null) return `*${name}*\n${fmt(t.current)} · no comparison`;
  const amount = kind === 'rate' ? formatPointChange(t.change) : formatSignedSeconds(t.change);
  return `*${name}*\n${fmt(t.current)} · ${formatVerdict(t.change, trendVerdict(t, higherIsBetter), amount)}`;
}

const STATUS_ICON = {
  good: ':large_green_circle:',
  attention: ':red_circle:',
  none: ':white_circle:',
} as const;

function statusLine(model: DashboardModel, alerts: DashboardAlerts): string {
  const s = dashboardStatus(model, alerts.open.length);
  const why = s.reasons.length > 0 ? `: ${s.reasons.join('; ')}` : '';
  return `${STATUS_ICON[s.level]} *${s.label}*${why}`;
}

/** The plain-text fallback of the summary: the headline figure and the status (notifications, screen readers). */
export function renderSummaryText(model: DashboardModel, alerts: DashboardAlerts = NO_ALERTS): string {
  const s = dashboardStatus(model, alerts.open.length);
  if (model.runs.count === 0) return `Apollo dashboard (${model.period.label}): no runs in this period.`;
  const t1 = model.trends.tier_1_targets;
  return (
    `Apollo dashboard (${model.period.label}): ${formatInt(model.executive_summary.tier_1_targets)} Tier 1 accounts (${countChange(t1)}). ` +
    `Status: ${s.label}${s.reasons.length > 0 ? ` (${s.reasons.join('; ')})` : ''}.`
  );
}

/**
 * The dashboard a person sees first: the headline figure and its change, four key figures marked
 * better/worse/stable, one honest status, the open alerts, the top three actions, and buttons for
 * the detail. At most 10 blocks.
 */
export function renderDashboardSummary(
  model: DashboardModel,
  options: { alerts?: DashboardAlerts } = {},
): SlackMessage {
  const alerts = options.alerts ?? NO_ALERTS;
  const blocks: AnyMessageBlock[] = [
    header(`Apollo dashboard · ${model.period.label}`),
    context([periodLine(model), ...alerts.notes, ...uploadWarningLines(model)].slice(0, 10)),
  ];
  const buttons = actions(
    [
      button('Full dashboard', ACTIONS.dashboardDetail, { value: model.period.key, style: 'primary' }),
      button('Tier 1 as CSV', ACTIONS.dashboardTier1Csv, { value: model.period.key }),
      button('Alerts', ACTIONS.dashboardAlerts, { value: model.period.key }),
    ],
    BLOCKS.dashboardButtons,
  );
  if (model.runs.count === 0) {
    blocks.push(
      section(
        `*No runs in this period.* Upload one with \`${COMMAND} upload\`, or let the pipeline POST it to \`/api/runs\`. ` +
          `Try a longer period such as \`${COMMAND} all\`.`,
      ),
      buttons,
    );
    return message(renderSummaryText(model, alerts), blocks);
  }
  const s = model.executive_summary;
  const t = model.trends;
  const prev = t.previous_period
    ? 'vs the previous period of the same length'
    : 'no previous period to compare';
  blocks.push(
    section(
      `*${formatInt(s.tier_1_targets)}* Tier 1 accounts · ${countChange(t.tier_1_targets)} _(${prev})_`,
    ),
    fields([
      keyFigure('Qualification rate', t.qualification_rate, 'rate', true),
      keyFigure('API success rate', t.api_success_rate, 'rate', true),
      keyFigure('Avg response (successful)', t.average_response_time, 'seconds', false),
      `*Discovered*\n${formatInt(s.total_companies_discovered)} · ${countChange(t.companies_discovered)}`,
    ]),
    section(statusLine(model, alerts)),
  );
  blocks.push(
    section(
      alerts.open.length > 0
        ? `*Open alerts (${formatInt(alerts.open.length)})*: ${alerts.open.slice(0, 3).join(' · ')}${alerts.open.length > 3 ? ` · …and ${formatInt(alerts.open.length - 3)} more` : ''}`
        : '*Open alerts*: none',
    ),
  );
  const top = model.recommendations.slice(0, 3);
  blocks.push(
    section(
      top.length > 0
        ? `*Do next*\n${top.map((r, i) => `${i + 1}. ${escapeMrkdwn(r.message)}`).join('\n')}`
        : '*Do next*\nNothing stands out: every figure is within its threshold.',
    ),
    buttons,
  );
  return message(renderSummaryText(model, alerts), blocks);
}

// ---------------------------------------------------------------------------------------------
// Native charts and tables for the detail, the digest and the App Home (each with a text fallback).

/** The qualification rate of the last runs as a line chart; its text fallback is the sparkline line. */
export function qualificationTrendChart(model: DashboardModel): DataVisualizationBlock | null {
  const runs = model.trends.qualification_rate_sparkline.runs;
  if (runs.length < 2) return null;
  return seriesChart({
    kind: 'line',
    title: 'Qualification rate by run (%)',
    categories: runs.map((r) => r.run_id),
    series: [
      {
        name: 'Qualification %',
        values: runs.map((r) =>
          r.qualification_rate === null ? null : round(r.qualification_rate * 100, 1),
        ),
      },
    ],
    xLabel: 'Run',
    yLabel: 'Qualified (%)',
  });
}

/** Companies per tier as a bar chart. */
export function tierChart(model: DashboardModel): DataVisualizationBlock | null {
  const q = model.qualification_analytics;
  if (model.executive_summary.total_companies_discovered === 0) return null;
  return seriesChart({
    kind: 'bar',
    title: 'Companies by tier',
    categories: [...TIERS],
    series: [{ name: 'Companies', values: TIERS.map((t) => q.tier_breakdown[t].count) }],
    xLabel: 'Tier',
    yLabel: 'Companies',
  });
}

/**
 * At most `limit` rows: past that, the last row adds up the rest ("All others (1,234 names)"), so a
 * table never drops companies silently. Its mean score is weighted by the scored companies.
 */
export function tableGroups(groups: readonly GroupAnalysis[], limit: number): GroupAnalysis[] {
  if (groups.length <= limit) return [...groups];
  const kept = groups.slice(0, limit - 1);
  const rest = groups.slice(limit - 1);
  let names = 0;
  const other = { count: 0, share: 0, scored: 0, scoreSum: 0, high: 0, tier1: 0 };
  for (const g of rest) {
    names += g.names ?? 1;
    other.count += g.count;
    other.share += g.share;
    other.scored += g.scored;
    other.scoreSum += (g.average_score ?? 0) * g.scored;
    other.high += g.high_scorers;
    other.tier1 += g.tier_1_count;
  }
  kept.push({
    name: `${OTHER_GROUPS} (${formatInt(names)} names)`,
    names,
    count: other.count,
    share: other.share,
    scored: other.scored,
    average_score: other.scored > 0 ? round(other.scoreSum / other.scored) : null,
    high_scorers: other.high,
    tier_1_count: other.tier1,
  });
  return kept;
}

function groupTable(caption: string, first: string, groups: readonly GroupAnalysis[], limit: number) {
  return dataTable({
    caption,
    header: [first, 'Companies', 'Share', 'Mean score', 'Tier 1'],
    rows: tableGroups(groups, limit).map((g) => [
      g.name,
      { value: g.count, text: formatInt(g.count) },
      { value: round(g.share * 100, 1), text: formatPercent(g.share) },
      g.average_score === null ? 'n/a' : { value: g.average_score, text: formatScore(g.average_score) },
      { value: g.tier_1_count, text: formatInt(g.tier_1_count) },
    ]),
    pageSize: 5,
  });
}

export function industryTable(model: DashboardModel, limit = 20) {
  return groupTable('Industries', 'Industry', model.qualification_analytics.industry_analysis, limit);
}

export function countryTable(model: DashboardModel, limit = 20) {
  return groupTable('Countries', 'Country', model.qualification_analytics.geographic_analysis, limit);
}

export function endpointTable(model: DashboardModel, limit = 20) {
  return dataTable({
    caption: 'API endpoints',
    header: ['Endpoint', 'Calls', 'Success', 'Avg response', '429s'],
    rows: model.search_performance.endpoints
      .slice(0, limit)
      .map((e) => [
        e.endpoint,
        { value: e.total_calls, text: formatInt(e.total_calls) },
        { value: round(e.success_rate * 100, 1), text: formatPercent(e.success_rate) },
        e.average_response_time === null
          ? 'n/a'
          : { value: e.average_response_time, text: formatSeconds(e.average_response_time) },
        { value: e.rate_limited_calls, text: formatInt(e.rate_limited_calls) },
      ]),
    pageSize: 5,
  });
}

/** Charts and tables with nothing to draw are left out; the text sections beside them carry the figures. */
export function present<T>(items: ReadonlyArray<T | null>): T[] {
  return items.filter((i): i is T => i !== null);
}

const WARNINGS_SHOWN = 3;

/**
 * The note under the dashboard for a period that holds runs whose uploads came with warnings (or runs
 * with no score at all, stored before warnings were kept). Empty when there is nothing to say.
 */
export function uploadWarningLines(model: DashboardModel): string[] {
  const { runs_with_warnings, warnings, unscored_companies } = model.upload_warnings;
  const lines: string[] = [];
  if (runs_with_warnings > 0) {
    const shown = warnings
      .slice(0, WARNINGS_SHOWN)
      .map((w) => `\`${escapeMrkdwn(w.run_id)}\`: ${escapeMrkdwn(w.message)}`);
    const more = warnings.length - shown.length;
    lines.push(
      `:warning: ${formatInt(runs_with_warnings)} run${runs_with_warnings === 1 ? '' : 's'} in this period came with upload warnings: ${shown.join(' • ')}${more > 0 ? ` • …and ${more} more (\`${COMMAND} runs\` lists them)` : ''}`,
    );
  }
  if (unscored_companies > 0 && !warnings.some((w) => w.code === 'no_scores')) {
    lines.push(
      `:warning: ${formatInt(unscored_companies)} companies come from runs with no ICP score or tier: they count as Unqualified, and the qualification advice leaves them out.`,
    );
  }
  return lines;
}
