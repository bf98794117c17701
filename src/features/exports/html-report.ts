/**
 * The dashboard as one self-contained HTML file: no scripts, no external styles, fonts or images,
 * a strict Content-Security-Policy (the one stylesheet is allowed by its hash), inline SVG charts,
 * and print rules. Tables are cut to their top entries with a count of the rest, so the file stays
 * small however many companies the period holds; the CSV exports carry the full lists.
 */

import { createHash } from 'node:crypto';
import { CAMPAIGN_SLOTS, type CampaignSlot } from '../../domain/aggregate.js';
import {
  type ChannelPerformance,
  type FunnelStep,
  type FunnelStepName,
  formatRoi,
} from '../../domain/campaign-metrics.js';

import type { DashboardModel, EndpointPerformance, GroupAnalysis, Trend } from '../../domain/dashboard.js';
import {
  type Currency,
  formatInt,
  formatMoney,
  formatPercent,
  formatPointChange,
  formatScore,
  formatSeconds,
  formatSignedSeconds,
} from '../../domain/format.js';
import { CAMPAIGNS, SCORE_BUCKETS, type ScoreBucket, TIERS, type Tier } from '../../domain/model.js';
import { formatThresholdPercent } from '../../domain/thresholds.js';
import { formatLocalDateTime } from '../../domain/time.js';
import { html, raw, type SafeHtml } from './html-safe.js';
import { type ChartBar, columnChart, funnelChart, horizontalBarChart, lineChart } from './svg-charts.js';

/** Rows shown per table; the rest are counted. */
export const HTML_TABLE_ROWS = 25;

const TIER_COLORS: Record<Tier, string> = {
  'Tier 1': '#1b7f4b',
  'Tier 2': '#2f6fb0',
  'Tier 3': '#7a5cc2',
  Unqualified: '#9aa3ad',
};

const CAMPAIGN_COLORS: Record<CampaignSlot, string> = {
  Email: '#d9822b',
  LinkedIn: '#0a66c2',
  Content: '#3a9d8f',
  Unassigned: '#9aa3ad',
};

/** Apollo's steps blue, the campaign steps orange, the conversions green. */
const FUNNEL_COLORS: Record<FunnelStepName, string> = {
  discovered: '#2f6fb0',
  qualified: '#2f6fb0',
  assigned: '#2f6fb0',
  contacted: '#d9822b',
  responded: '#d9822b',
  converted: '#1b7f4b',
};

/** The steps counted in companies from the runs; the rest count campaign contacts (messages). */
const APOLLO_STEPS: ReadonlySet<FunnelStepName> = new Set(['discovered', 'qualified', 'assigned']);

function bucketColor(bucket: ScoreBucket): string {
  if (bucket === '90-100' || bucket === '80-89') return '#1b7f4b';
  if (bucket === '0-49') return '#9aa3ad';
  return '#2f6fb0';
}

export const REPORT_CSS = `:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#f5f7f9;color:#1d2630;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header,main,footer{max-width:1080px;margin:0 auto;padding:0 24px}
header{padding-top:28px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid #e3e7eb}
h3{font-size:15px;margin:18px 0 8px}
.meta{color:#56616c;margin:0 0 16px}
section{background:#fff;border:1px solid #e3e7eb;border-radius:8px;padding:18px 20px;margin:0 0 18px}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:0 0 8px}
.kpi{border:1px solid #e3e7eb;border-radius:6px;padding:10px 12px;break-inside:avoid}
.kpi-label{color:#56616c;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.kpi-value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.kpi-note{color:#56616c;font-size:12px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:13px;color:#fff;background:#56616c}
.perf-excellent{background:#1b7f4b}.perf-good{background:#2f6fb0}.perf-needs{background:#b54708}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:8px 24px}
figure{margin:0 0 8px;break-inside:avoid}
figcaption{font-weight:600;margin:0 0 6px}
.chart{width:100%;max-width:640px;height:auto;display:block}
.chart text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#1d2630}
.chart .chart-value{font-weight:600}
.chart .chart-axis{fill:#56616c;font-size:11px}
table{border-collapse:collapse;width:100%;margin:0 0 8px;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:0 0 6px}
th,td{padding:5px 8px;border-bottom:1px solid #e3e7eb;text-align:right;vertical-align:top}
th{background:#f0f3f6;font-size:12px;color:#3b4651}
th:first-child,td:first-child{text-align:left;overflow-wrap:anywhere}
tr{break-inside:avoid}
tfoot td{color:#56616c;font-style:italic;text-align:left}
.tables{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:8px 24px}
.issues li{color:#b54708}
.empty{color:#56616c;font-style:italic}
.note{color:#56616c;font-size:12px;margin:0 0 8px}
.tag{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;font-weight:600;color:#fff;background:#1b7f4b}
tr.idle td{color:#56616c}
.channels{font-size:.93em}
.channels th,.channels td{padding:5px 5px}
.channels td{white-space:nowrap}
.split{display:grid;grid-template-columns:minmax(0,600px) minmax(280px,1fr);gap:8px 24px;align-items:start}
tr.total td{font-weight:600;border-top:2px solid #e3e7eb}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f0f3f6;padding:1px 4px;border-radius:3px}
ol,ul{margin:0;padding-left:22px}
li{margin:0 0 4px}
.up{color:#1b7f4b}.down{color:#b42318}
footer{color:#56616c;font-size:12px;padding-bottom:28px}
@media (max-width:900px){.split{grid-template-columns:1fr}}
@page{margin:14mm}
@media print{
body{background:#fff;font-size:11px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
header,main,footer{max-width:none;padding:0}
section{border:none;border-radius:0;padding:0;margin:0 0 14px}
h2{break-after:avoid}
.charts,.tables{grid-template-columns:1fr 1fr}
.split{grid-template-columns:3fr 2fr}
}
`;

const STYLE_HASH = `sha256-${createHash('sha256').update(REPORT_CSS, 'utf8').digest('base64')}`;

/** Nothing may load or run; only the stylesheet above, by its hash. */
export const REPORT_CSP = `default-src 'none'; style-src '${STYLE_HASH}'; img-src 'none'; font-src 'none'; script-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`;

function dateTime(iso: string, tz: string): string {
  return formatLocalDateTime(new Date(iso), tz);
}

function periodLine(model: DashboardModel): string {
  const { period, runs } = model;
  const tz = period.time_zone;
  const to = dateTime(period.end ?? model.generated_at, tz);
  const span = period.start ? `${dateTime(period.start, tz)} → ${to} ${tz}` : `up to ${to} ${tz}`;
  return `${period.label} · ${span} · ${formatInt(runs.count)} run${runs.count === 1 ? '' : 's'} · generated ${dateTime(model.generated_at, tz)} ${tz}`;
}

function kpi(labelText: string, value: string, note?: string): SafeHtml {
  return html`<div class="kpi"><div class="kpi-label">${labelText}</div><div class="kpi-value">${value}</div>${
    note ? html`<div class="kpi-note">${note}</div>` : null
  }</div>`;
}

function perfClass(p: string): string {
  if (p === 'Excellent') return 'perf-excellent';
  if (p === 'Good') return 'perf-good';
  if (p === 'Needs Improvement') return 'perf-needs';
  return 'perf-none';
}

function summarySection(model: DashboardModel): SafeHtml {
  const s = model.executive_summary;
  return html`<section id="summary"><h2>Executive summary</h2><p>Overall performance: <span class="badge ${perfClass(s.overall_performance)}">${s.overall_performance}</span></p><div class="kpis">${[
    kpi('Discovered', formatInt(s.total_companies_discovered)),
    kpi('Qualified', formatInt(s.total_companies_qualified), 'Tier 1-3'),
    kpi(
      'Qualification rate',
      formatPercent(s.qualification_rate),
      `Excellent above ${formatThresholdPercent(model.thresholds.qualification_excellent)}, good above ${formatThresholdPercent(model.thresholds.qualification_good)}`,
    ),
    kpi('Tier 1', formatInt(s.tier_1_targets), 'high-priority opportunities'),
    kpi('Tier 2', formatInt(s.tier_2_targets)),
    kpi('Tier 3', formatInt(s.tier_3_targets)),
  ]}</div></section>`;
}

/** A table cut to `HTML_TABLE_ROWS` rows with a footer counting the rest. */
function table(options: {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly string[])[];
  restNote?: (rest: number) => string;
}): SafeHtml {
  const shown = options.rows.slice(0, HTML_TABLE_ROWS);
  const rest = options.rows.length - shown.length;
  const foot =
    rest > 0
      ? html`<tfoot><tr><td colspan="${options.head.length}">${
          options.restNote ? options.restNote(rest) : `…and ${formatInt(rest)} more rows`
        }; the CSV export has them all.</td></tr></tfoot>`
      : null;
  const body =
    shown.length > 0
      ? shown.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)
      : html`<tr><td colspan="${options.head.length}" class="empty">None in this period.</td></tr>`;
  return html`<table><caption>${options.caption}</caption><thead><tr>${options.head.map(
    (h) => html`<th scope="col">${h}</th>`,
  )}</tr></thead><tbody>${body}</tbody>${foot}</table>`;
}

function statusCodes(codes: Record<string, number>): string {
  return Object.entries(codes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => `${code}×${formatInt(n)}`)
    .join(', ');
}

function endpointRow(e: EndpointPerformance): string[] {
  return [
    e.endpoint,
    formatInt(e.total_calls),
    formatPercent(e.success_rate),
    formatSeconds(e.average_response_time),
    formatSeconds(e.max_response_time),
    formatInt(e.credits_used),
    formatInt(e.rate_limited_calls),
    statusCodes(e.status_codes),
  ];
}

function apiSection(model: DashboardModel): SafeHtml {
  const api = model.search_performance;
  const th = model.thresholds;
  if (api.source === 'none') {
    return html`<section id="api"><h2>Apollo API health</h2><p class="empty">No API calls or metrics were reported for these runs.</p></section>`;
  }
  const rl = api.rate_limit_status;
  const peak =
    rl.peak_requests_per_minute === null
      ? kpi('Peak requests/min', 'n/a', 'no call log')
      : kpi(
          'Peak requests/min',
          formatInt(rl.peak_requests_per_minute),
          `${formatPercent(rl.peak_usage, 0)} of the ${formatInt(rl.rate_limit)}/min limit`,
        );
  const issues =
    api.performance_issues.length > 0
      ? html`<h3>Performance issues</h3><ul class="issues">${api.performance_issues.map((i) => html`<li>${i}</li>`)}</ul>`
      : html`<p>No performance issues: success rate, response time and error rate are within the thresholds.</p>`;
  const endpoints =
    api.endpoints.length > 0
      ? table({
          caption: 'Endpoints',
          head: [
            'Endpoint',
            'Calls',
            'Success',
            'Avg response',
            'Max response',
            'Credits',
            '429s',
            'Status codes',
          ],
          rows: api.endpoints.map(endpointRow),
          restNote: (rest) => `…and ${formatInt(rest)} more endpoints`,
        })
      : null;
  return html`<section id="api"><h2>Apollo API health</h2><div class="kpis">${[
    kpi('Calls', formatInt(api.total_calls), `${formatInt(api.failed_calls)} failed`),
    kpi(
      'Success rate',
      formatPercent(api.success_rate),
      `threshold ${formatThresholdPercent(th.success_rate)}`,
    ),
    kpi('Error rate', formatPercent(api.error_rate), `threshold ${formatThresholdPercent(th.error_rate)}`),
    kpi(
      'Avg response',
      formatSeconds(api.average_response_time),
      `successful calls; threshold ${formatSeconds(th.average_response_time)}`,
    ),
    kpi('Credits used', formatInt(api.total_credits_used)),
    kpi('Rate-limited (429)', formatInt(api.rate_limited_calls)),
    peak,
  ]}</div>${issues}${endpoints}</section>`;
}

function groupRows(groups: readonly GroupAnalysis[]): string[][] {
  return groups.map((g) => [
    g.name,
    formatInt(g.count),
    formatPercent(g.share),
    formatScore(g.average_score),
    formatInt(g.high_scorers),
    formatInt(g.tier_1_count),
  ]);
}

const GROUP_HEAD = ['', 'Companies', 'Share', 'Mean score', 'Score ≥ 80', 'Tier 1'];

function groupTable(
  caption: string,
  first: string,
  groups: readonly GroupAnalysis[],
  noun: string,
): SafeHtml {
  const shownCompanies = groups.slice(0, HTML_TABLE_ROWS).reduce((n, g) => n + g.count, 0);
  const totalCompanies = groups.reduce((n, g) => n + g.count, 0);
  // The model's last group may hold many names (`All others`): count the names, not the rows.
  const restNames = groups.slice(HTML_TABLE_ROWS).reduce((n, g) => n + (g.names ?? 1), 0);
  return table({
    caption,
    head: [first, ...GROUP_HEAD.slice(1)],
    rows: groupRows(groups),
    restNote: () =>
      `…and ${formatInt(restNames)} more ${noun} (${formatInt(totalCompanies - shownCompanies)} companies)`,
  });
}

function qualificationSection(model: DashboardModel): SafeHtml {
  const q = model.qualification_analytics;
  const d = q.score_distribution;
  const scored = d.scored;
  const buckets = [...SCORE_BUCKETS].reverse();
  const histogram = columnChart({
    id: 'chart-scores',
    title: `ICP score distribution of ${formatInt(scored)} scored companies`,
    bars: buckets.map(
      (b): ChartBar => ({
        label: b,
        value: d.score_ranges[b],
        note: formatInt(d.score_ranges[b]),
        color: bucketColor(b),
      }),
    ),
  });
  const total = model.executive_summary.total_companies_discovered;
  const tierChart = horizontalBarChart({
    id: 'chart-tiers',
    title: 'Companies per tier',
    bars: TIERS.map(
      (t): ChartBar => ({
        label: t,
        value: q.tier_breakdown[t].count,
        note: `${formatInt(q.tier_breakdown[t].count)} (${formatPercent(total > 0 ? q.tier_breakdown[t].share : null)})`,
        color: TIER_COLORS[t],
      }),
    ),
  });
  const tierTable = table({
    caption: 'Tier breakdown',
    head: ['Tier', 'Companies', 'Share', 'Mean score', 'Min', 'Max'],
    rows: TIERS.map((t) => {
      const tb = q.tier_breakdown[t];
      return [
        t,
        formatInt(tb.count),
        formatPercent(tb.share),
        formatScore(tb.average_score),
        formatScore(tb.min_score),
        formatScore(tb.max_score),
      ];
    }),
  });
  return html`<section id="qualification"><h2>ICP qualification</h2><div class="kpis">${[
    kpi('Median score', formatScore(d.median_score)),
    kpi('Mean score', formatScore(d.average_score)),
    kpi('Range', d.min_score === null ? 'n/a' : `${formatScore(d.min_score)} – ${formatScore(d.max_score)}`),
    kpi('Scored / unscored', `${formatInt(d.scored)} / ${formatInt(d.unscored)}`),
    kpi('Quality score', formatScore(q.quality_score.average), `${formatInt(q.quality_score.count)} samples`),
  ]}</div><div class="charts"><figure><figcaption>Score distribution</figcaption>${histogram}</figure><figure><figcaption>Tiers</figcaption>${tierChart}</figure></div>${tierTable}</section>`;
}

function campaignSection(model: DashboardModel): SafeHtml {
  const c = model.campaign_performance;
  const total = model.executive_summary.total_companies_discovered;
  const chart = horizontalBarChart({
    id: 'chart-campaigns',
    title: 'Companies per campaign',
    bars: CAMPAIGN_SLOTS.map(
      (slot): ChartBar => ({
        label: slot,
        value: c.campaign_distribution[slot],
        note: `${formatInt(c.campaign_distribution[slot])} (${formatPercent(total > 0 ? c.campaign_distribution[slot] / total : null)})`,
        color: CAMPAIGN_COLORS[slot],
      }),
    ),
  });
  return html`<section id="campaigns"><h2>Campaign assignment</h2><p>${formatInt(c.companies_assigned)} of ${formatInt(total)} companies assigned to a campaign.</p><figure>${chart}</figure></section>`;
}

/** Text whose `backticked` parts (commands in the campaign messages) become <code>; every part escaped. */
function withCode(text: string): SafeHtml {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return html`${text}`;
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

/** ROI as a percentage; a channel (or total) with nothing sent has none, and says so instead of 0 %. */
function roiCell(roi: number | null, sent: number): string {
  return sent === 0 ? 'nothing sent' : formatRoi(roi);
}

const CHANNEL_HEAD = [
  'Channel',
  'Assigned',
  'Sent',
  'Opened',
  'Responded',
  'Converted',
  'Open rate',
  'Response rate',
  'Conversion rate',
  'Cost',
  'Revenue',
  'ROI',
];

function channelRow(p: ChannelPerformance, best: boolean, currency: Currency | null): SafeHtml {
  const formatAmount = (n: number) => formatMoney(n, currency);
  const cells = [
    formatInt(p.assigned),
    formatInt(p.sent),
    formatInt(p.opened),
    formatInt(p.responded),
    formatInt(p.converted),
    formatPercent(p.open_rate),
    formatPercent(p.response_rate),
    formatPercent(p.conversion_rate, 2),
    formatAmount(p.cost),
    formatAmount(p.revenue),
    p.status === 'nothing_sent' ? 'nothing sent' : formatRoi(p.roi),
  ];
  return html`<tr${p.status === 'nothing_sent' ? raw(' class="idle"') : null}><td>${p.channel}${
    best ? html` <span class="tag">best</span>` : null
  }</td>${cells.map((c) => html`<td>${c}</td>`)}</tr>`;
}

function channelTable(model: DashboardModel): SafeHtml {
  const formatAmount = (n: number) => formatMoney(n, model.currency);
  const c = model.campaign_performance;
  const channels = CAMPAIGNS.map((name) => c.campaign_comparison[name]);
  const t = c.totals;
  const total = [
    'All channels',
    formatInt(channels.reduce((n, p) => n + p.assigned, 0)),
    formatInt(t.sent),
    formatInt(t.opened),
    formatInt(t.responded),
    formatInt(t.converted),
    formatPercent(t.sent > 0 ? t.opened / t.sent : null),
    formatPercent(c.response_rate),
    formatPercent(c.conversion_rate, 2),
    formatAmount(t.cost),
    formatAmount(t.revenue),
    roiCell(c.roi, t.sent),
  ];
  return html`<table class="channels"><caption>Results per channel</caption><thead><tr>${CHANNEL_HEAD.map(
    (h) => html`<th scope="col">${h}</th>`,
  )}</tr></thead><tbody>${channels.map((p) => channelRow(p, p.channel === c.best_performing_campaign, model.currency))}<tr class="total">${total.map(
    (v) => html`<td>${v}</td>`,
  )}</tr></tbody></table>`;
}

function assumptionsNote(model: DashboardModel): SafeHtml {
  const formatAmount = (n: number) => formatMoney(n, model.currency);
  const parts = CAMPAIGNS.map((name) => {
    const p = model.campaign_performance.campaign_comparison[name];
    return `${name} ${formatAmount(p.cost_per_contact)} per contact and ${formatAmount(p.revenue_per_conversion)} per conversion`;
  });
  return html`<p class="note">Rates are shares of sent. Cost is sent × cost per contact, revenue is converted × revenue per conversion, ROI is (revenue − cost) / cost: ${parts.join('; ')}.</p>`;
}

function bestCampaign(model: DashboardModel): SafeHtml {
  const formatAmount = (n: number) => formatMoney(n, model.currency);
  const c = model.campaign_performance;
  const best = c.best_performing_campaign ? c.campaign_comparison[c.best_performing_campaign] : null;
  if (!best) {
    return html`<p>Best performing campaign: none, as no channel has an ROI in this period.</p>`;
  }
  return html`<p>Best performing campaign: <span class="badge perf-excellent">${best.channel}</span> ROI ${formatRoi(best.roi)}: ${formatInt(best.converted)} converted of ${formatInt(best.sent)} sent, ${formatAmount(best.revenue)} revenue on ${formatAmount(best.cost)} cost.</p>`;
}

function campaignAdvice(model: DashboardModel): SafeHtml {
  const c = model.campaign_performance;
  const warnings =
    c.warnings.length > 0
      ? html`<h3>Warnings</h3><ul class="issues">${c.warnings.map((w) => html`<li>${withCode(w)}</li>`)}</ul>`
      : null;
  const recs =
    c.recommended_actions.length > 0
      ? html`<h3>Campaign recommendations</h3><ol>${c.recommended_actions.map((r) => html`<li>${withCode(r.message)}</li>`)}</ol>`
      : c.updates > 0
        ? html`<h3>Campaign recommendations</h3><p>Nothing stands out between the channels.</p>`
        : null;
  return html`${warnings}${recs}`;
}

function campaignResultsSection(model: DashboardModel): SafeHtml {
  const formatAmount = (n: number) => formatMoney(n, model.currency);
  const c = model.campaign_performance;
  const start = html`<section id="campaign-results"><h2>Campaign performance</h2>`;
  if (c.updates === 0) {
    return html`${start}<p class="empty">No campaign updates are dated in this period, so there are no sends, responses, conversions or ROI to show. Record them in Slack with <code>campaign email sent=N</code> (or <code>linkedin</code>, <code>content</code>), through <code>POST /api/campaigns</code>, or for this report with <code>--campaigns FILE</code>.</p>${campaignAdvice(model)}</section>`;
  }
  const t = c.totals;
  return html`${start}<div class="kpis">${[
    kpi(
      'Sent',
      formatInt(t.sent),
      `${formatInt(c.updates)} update${c.updates === 1 ? '' : 's'} in this period`,
    ),
    kpi('Response rate', formatPercent(c.response_rate), `${formatInt(t.responded)} responded`),
    kpi('Conversion rate', formatPercent(c.conversion_rate, 2), `${formatInt(t.converted)} converted`),
    kpi('Cost', formatAmount(t.cost)),
    kpi('Revenue', formatAmount(t.revenue)),
    kpi('ROI', roiCell(c.roi, t.sent), t.sent === 0 ? 'no ROI without sends' : 'all channels'),
  ]}</div>${bestCampaign(model)}${channelTable(model)}${assumptionsNote(model)}${campaignAdvice(model)}</section>`;
}

/** Credits per account, with the money when a credit cost is set. */
function creditsPer(credits: number | null, money: number | null, currency: Currency | null): string {
  if (credits === null) return 'n/a';
  return `${credits.toFixed(2)}${money === null ? '' : ` (${formatMoney(money, currency)})`}`;
}

function funnelSection(model: DashboardModel): SafeHtml {
  const f = model.funnel;
  const campaigns = model.campaign_performance;
  const bar = (s: FunnelStep): ChartBar => ({
    label: s.label,
    value: s.count,
    note:
      s.rate_from_previous === null
        ? formatInt(s.count)
        : `${formatInt(s.count)} · ${formatPercent(s.rate_from_previous)}${s.note ? ' *' : ''}`,
    color: FUNNEL_COLORS[s.step],
  });
  const chart = funnelChart({
    id: 'chart-funnel',
    title: 'Funnel from discovery to conversion',
    stages: [
      { title: 'Apollo runs · companies', steps: f.steps.filter((s) => APOLLO_STEPS.has(s.step)).map(bar) },
      { title: 'Campaigns · contacts', steps: f.steps.filter((s) => !APOLLO_STEPS.has(s.step)).map(bar) },
    ],
  });
  const steps = table({
    caption: 'Steps',
    head: ['Step', 'Count', 'Of previous step'],
    rows: f.steps.map((s) => [
      `${s.label}${s.note ? ' *' : ''}`,
      formatInt(s.count),
      s.rate_from_previous === null ? '' : formatPercent(s.rate_from_previous),
    ]),
  });
  const notes = f.steps.filter((s) => s.note);
  const noteList =
    notes.length > 0
      ? html`<ul class="issues">${notes.map((s) => html`<li>* ${s.label}: ${s.note}</li>`)}</ul>`
      : null;
  const noCampaigns =
    campaigns.updates === 0
      ? html`<p class="note">No campaign updates in this period: contacted, responded and converted stay at 0 until sends are recorded.</p>`
      : null;
  const money =
    f.credit_cost === null
      ? 'credits only: set credit_cost for money'
      : `${formatMoney(f.credit_cost, model.currency)} per credit`;
  return html`<section id="funnel"><h2>Funnel</h2><div class="kpis">${[
    campaigns.totals.sent === 0
      ? kpi('Converted of discovered', 'nothing sent', 'no campaign sends in this period')
      : kpi('Converted of discovered', formatPercent(f.overall_rate, 2)),
    kpi('Credits used', formatInt(f.credits_used)),
    kpi(
      'Credits per qualified account',
      creditsPer(f.cost_per_qualified_account.credits, f.cost_per_qualified_account.money, model.currency),
      money,
    ),
    kpi(
      'Credits per Tier 1 account',
      creditsPer(f.credits_per_tier_1_account, f.cost_per_tier_1_account, model.currency),
      money,
    ),
  ]}</div>${noCampaigns}<div class="split"><figure><figcaption>Discovered to converted (bars scaled within each stage)</figcaption>${chart}</figure>${steps}</div>${noteList}</section>`;
}

function segmentSection(model: DashboardModel): SafeHtml {
  const q = model.qualification_analytics;
  return html`<section id="segments"><h2>Industry, size and geography</h2><div class="tables">${[
    groupTable('Industries', 'Industry', q.industry_analysis, 'industries'),
    groupTable('Company size (employees)', 'Size band', q.size_analysis, 'size bands'),
  ]}</div>${groupTable('Countries', 'Country', q.geographic_analysis, 'countries')}</section>`;
}

function recommendationSection(model: DashboardModel): SafeHtml {
  const recs = model.recommendations;
  const body =
    recs.length > 0
      ? html`<ol>${recs.map((r) => html`<li>${r.message}</li>`)}</ol>`
      : html`<p>Nothing stands out: every figure is within its threshold.</p>`;
  return html`<section id="recommendations"><h2>Recommendations</h2>${body}</section>`;
}

/** The period's upload warnings, as the dashboard notes them; nothing when there are none. */
function uploadWarningSection(model: DashboardModel): SafeHtml | null {
  const { runs_with_warnings, warnings, unscored_companies } = model.upload_warnings;
  if (runs_with_warnings === 0 && unscored_companies === 0) return null;
  const unscored =
    unscored_companies > 0 && !warnings.some((w) => w.code === 'no_scores')
      ? html`<p>${formatInt(unscored_companies)} companies come from runs with no ICP score or tier: they count as Unqualified, and the qualification advice leaves them out.</p>`
      : null;
  const list =
    warnings.length > 0
      ? html`<ul>${warnings.map((w) => html`<li><code>${w.run_id}</code>: ${w.message}</li>`)}</ul>`
      : null;
  return html`<section id="upload-warnings"><h2>Upload warnings</h2>${list}${unscored}</section>`;
}

interface TrendFormat {
  value: (n: number | null) => string;
  change: (n: number) => string;
  higherIsBetter: boolean;
}

const RATE: TrendFormat = { value: formatPercent, change: formatPointChange, higherIsBetter: true };
const SECONDS: TrendFormat = { value: formatSeconds, change: formatSignedSeconds, higherIsBetter: false };

function trendRow(name: string, t: Trend, fmt: TrendFormat, current = fmt.value(t.current)): SafeHtml {
  const change = t.change === null ? '' : fmt.change(t.change);
  const good = fmt.higherIsBetter ? 'Increasing' : 'Decreasing';
  const bad = fmt.higherIsBetter ? 'Decreasing' : 'Increasing';
  const cls = t.direction === good ? 'up' : t.direction === bad ? 'down' : '';
  return html`<tr><td>${name}</td><td>${current}</td><td>${fmt.value(t.previous)}</td><td>${change}</td><td class="${cls}">${t.direction}</td></tr>`;
}

/** Conversion rates are small: two decimals, in points too. */
const SMALL_RATE: TrendFormat = {
  value: (n) => formatPercent(n, 2),
  change: (n) => `${n >= 0 ? '+' : '−'}${Math.abs(n * 100).toFixed(2)} pp`,
  higherIsBetter: true,
};

/** ROI is a percentage already; its change is in points. */
const ROI: TrendFormat = {
  value: formatRoi,
  change: (n) => `${n >= 0 ? '+' : '−'}${formatInt(Math.round(Math.abs(n)))} pts`,
  higherIsBetter: true,
};

function campaignTrendRows(model: DashboardModel): SafeHtml[] {
  const t = model.trends;
  // A period without sends has no campaign rates: say so rather than n/a.
  const idle = model.campaign_performance.totals.sent === 0 ? 'nothing sent' : undefined;
  return [
    trendRow('Campaign response rate', t.campaign_response_rate, RATE, idle),
    trendRow('Campaign conversion rate', t.campaign_conversion_rate, SMALL_RATE, idle),
    trendRow('Campaign ROI', t.campaign_roi, ROI, idle),
  ];
}

function trendSection(model: DashboardModel): SafeHtml {
  const t = model.trends;
  const prev = t.previous_period;
  const tz = model.period.time_zone;
  const against = prev
    ? `Compared with the previous period of equal length (${prev.start ? dateTime(prev.start, tz) : '…'} → ${
        prev.end ? dateTime(prev.end, tz) : '…'
      } ${tz}, ${formatInt(prev.runs)} run${prev.runs === 1 ? '' : 's'}).`
    : 'No previous period to compare with.';
  const series = t.qualification_rate_sparkline.runs;
  const chart =
    series.length > 0
      ? html`<figure><figcaption>Qualification rate of the last ${formatInt(series.length)} run${series.length === 1 ? '' : 's'}</figcaption>${lineChart(
          {
            id: 'chart-trend',
            title: 'Qualification rate per run',
            points: series.map((r) => ({
              label: dateTime(r.started_at, tz).slice(5, 10),
              value: r.qualification_rate,
              note: formatPercent(r.qualification_rate),
            })),
          },
        )}</figure>`
      : null;
  return html`<section id="trends"><h2>Trends</h2><p>${against}</p><table><thead><tr><th scope="col">Metric</th><th scope="col">Current</th><th scope="col">Previous</th><th scope="col">Change</th><th scope="col">Direction</th></tr></thead><tbody>${[
    trendRow('Qualification rate', t.qualification_rate, RATE),
    trendRow('API success rate', t.api_success_rate, RATE),
    trendRow('Avg response time', t.average_response_time, SECONDS),
    ...campaignTrendRows(model),
  ]}</tbody></table>${chart}</section>`;
}

/** The whole report; the same model always gives the same bytes. */
export function renderDashboardHtml(model: DashboardModel): string {
  const title = `Apollo dashboard · ${model.period.label}`;
  const body =
    model.runs.count === 0
      ? [
          html`<section id="summary"><h2>No runs in this period</h2><p>Upload a run, or choose a longer period such as <code>all</code>.</p></section>`,
          // Campaign results are recorded apart from the runs, so a period may hold them alone.
          model.campaign_performance.updates > 0 ? campaignResultsSection(model) : null,
        ]
      : [
          summarySection(model),
          apiSection(model),
          qualificationSection(model),
          campaignSection(model),
          campaignResultsSection(model),
          funnelSection(model),
          segmentSection(model),
          recommendationSection(model),
          trendSection(model),
          uploadWarningSection(model),
        ];
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
<header><h1>Apollo Find Accounts dashboard</h1><p class="meta">${periodLine(model)}</p></header>
<main>
${body}
</main>
<footer>Apollo Dashboard report, model version ${model.version}. Rates are measured from the runs of the period; tables show their top ${HTML_TABLE_ROWS} entries and the CSV export holds every figure.</footer>
</body>
</html>
`;
  return page.html;
}
