/** The dashboard as a Slack message: key figures at a glance, always within Slack's limits. */
import type { KnownBlock } from '@slack/types';
import type { DashboardModel, GroupAnalysis, Trend } from '../domain/dashboard.js';
import {
  formatInt,
  formatPercent,
  formatPointChange,
  formatScore,
  formatSeconds,
  formatSignedSeconds,
} from '../domain/format.js';
import { SCORE_BUCKETS, TIERS } from '../domain/model.js';
import { formatLocalDateTime } from '../domain/time.js';
import { COMMAND } from '../ids.js';
import {
  campaignRateTrendLine,
  campaignSummaryText,
  renderCampaignSection,
  renderFunnel,
  roiTrendLine,
} from './campaigns.js';
import {
  context,
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
  const rest = groups.length - shown.length;
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
}

export function renderDashboardMessage(
  model: DashboardModel,
  options: DashboardRenderOptions = {},
): SlackMessage {
  const blocks: KnownBlock[] = [
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
  blocks.push(
    section(`*Executive summary* · overall performance: *${s.overall_performance}*`),
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
  blocks.push(section(`*Score distribution*\n\`\`\`${histogram}\`\`\``), section(`*Tiers*\n${tiers}`));
  blocks.push(section(`*Top industries*\n${groupLines(q.industry_analysis)}`));
  blocks.push(section(`*Company size (employees)*\n${groupLines(q.size_analysis, 9)}`));
  blocks.push(section(`*Top countries*\n${groupLines(q.geographic_analysis)}`));

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
  }
  const warnings = uploadWarningLines(model);
  if (warnings.length > 0) blocks.push(context(warnings));
  return message(renderDashboardText(model), blocks);
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
