// biome-ignore-all lint/suspicious/noExplicitAny: chart and table blocks are read back as plain JSON
import { describe, expect, it } from 'vitest';
import {
  renderDashboardMessage,
  renderDashboardSummary,
  renderDashboardText,
  tableGroups,
} from '../../src/blocks/dashboard.js';
import { type SlackMessage, withoutRichBlocks } from '../../src/blocks/kit.js';
import { aggregateRun } from '../../src/domain/aggregate.js';
import {
  computeDashboard,
  type DashboardModel,
  MAX_NAMED_GROUPS,
  type Recommendation,
} from '../../src/domain/dashboard.js';
import type { Run } from '../../src/domain/model.js';
import { type PeriodSpec, selectPeriod } from '../../src/domain/period.js';
import { ACTIONS } from '../../src/ids.js';
import { calls, companies, makeCall, makeCompany, makeMeta, makeRun } from '../helpers/factories.js';
import { messageSchema } from '../helpers/slack-limits.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');

/** The dashboard as the app builds it: pick the period's runs, then compute over their aggregates. */
function modelFor(runs: readonly Run[], spec: PeriodSpec, timeZone = 'Europe/Berlin', rateLimit = 100) {
  const metas = runs.map(makeMeta);
  const selection = selectPeriod(spec, metas, { now: NOW, timeZone });
  const chosen = new Set(selection.current.map((m) => m.run_id));
  return computeDashboard({
    period: selection.period,
    current: runs.filter((r) => chosen.has(r.run_id)).map(aggregateRun),
    previous: selection.previous,
    history: metas,
    settings: { rate_limit: rateLimit },
    generatedAt: NOW,
  });
}

/** Every text string a person can see in the blocks, in order. */
function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'text' && typeof v === 'string' ? [v] : textsOf(v),
  );
}

function expectValidMessage(msg: SlackMessage): void {
  const result = messageSchema.safeParse(msg);
  expect(result.success ? [] : result.error.issues).toEqual([]);
}

const blockTypes = (blocks: readonly { type: string }[]) => blocks.map((b) => b.type);

/** 1,234 companies (150 Tier 1, 200 Tier 2, 250 Tier 3, 634 unqualified) and 250 calls a second apart. */
function realisticRun(): Run {
  const tierOf = (i: number) =>
    i < 150 ? 'Tier 1' : i < 350 ? 'Tier 2' : i < 600 ? 'Tier 3' : 'Unqualified';
  const scoreOf = { 'Tier 1': 92, 'Tier 2': 81, 'Tier 3': 65, Unqualified: 30.5 } as const;
  return makeRun({
    run_id: 'weekly-47',
    started_at: '2026-11-20T09:00:00.000Z',
    companies: companies(1234, (i) => {
      const tier = tierOf(i);
      return {
        name: `Company ${i}`,
        industry: ['Software', 'Fintech', 'Retail'][i % 3],
        employees: 20 + i,
        country: i % 4 === 0 ? 'Germany' : 'United States',
        icp_score: scoreOf[tier],
        tier,
        campaign: tier === 'Tier 1' ? 'Email' : tier === 'Tier 2' ? 'LinkedIn' : undefined,
      };
    }),
    api_calls: calls(250, (i) =>
      i < 240
        ? { endpoint: 'mixed_companies/search', response_time: 0.8 }
        : { endpoint: 'organizations/enrich', status_code: i < 245 ? 429 : 500, response_time: 5 },
    ),
    quality_scores: [0.9, 0.8],
  });
}

describe('renderDashboardMessage: what a person sees', () => {
  const model = modelFor([realisticRun()], { kind: 'rolling', days: 7 });
  const msg = renderDashboardMessage(model);
  const texts = textsOf(msg.blocks);

  it('opens with the period in the header and the span in local time', () => {
    expect(msg.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Apollo dashboard · Last 7 days', emoji: true },
    });
    expect(texts[1]).toBe('2026-11-17 13:00 → 2026-11-24 13:00 Europe/Berlin · 1 run');
  });

  it('shows the key figures formatted', () => {
    // 48.6 % qualified would be "Excellent", but 5 of 250 calls (2.0 %) got a 429: above the 1 % alert share.
    expect(texts).toContain(
      '*Executive summary* · :red_circle: *Needs attention*: 2.0% of calls rate-limited (429), above 1.0%',
    );
    for (const field of [
      '*Discovered*\n1,234',
      '*Qualified*\n600 (48.6%)',
      '*Tier 1 (high priority)*\n150',
      '*Tier 2*\n200',
      '*Tier 3*\n250',
      '*Unqualified*\n634',
      '*Calls*\n250 (10 failed)',
      '*Success rate*\n96.0%',
      '*Avg response (successful)*\n0.80s',
      '*Error rate*\n4.0%',
      '*Credits used*\n250',
      '*Rate-limited (429)*\n5',
      '*Peak requests/min*\n60 of 100 (60%)',
      '*Median score*\n30.5',
      '*Mean score*\n53.1',
      '*Range*\n30.5 – 92.0',
      '*Scored / unscored*\n1,234 / 0',
    ]) {
      expect(texts).toContain(field);
    }
    expect(texts).toContain('Campaign assignment: Email 150 · LinkedIn 200 · Content 0 · unassigned 884');
    const all = texts.join('\n');
    expect(all).toContain('• `mixed_companies/search`: 240 calls · 100.0% ok · 0.80s');
    expect(all).toContain('• `organizations/enrich`: 10 calls · 0.0% ok · n/a · 5×429');
    expect(all).toContain('• *Tier 1*: 150 (12.2%) · mean 92.0');
    expect(all).toContain('Back off when Apollo throttles: 5 calls were rate-limited (HTTP 429)');
  });

  it('carries a plain-text fallback with the headline figures', () => {
    expect(msg.text).toBe(
      'Apollo dashboard (Last 7 days): 1,234 discovered, 600 qualified (48.6%), 150 Tier 1 — Excellent. ' +
        'API success 96.0%, avg response 0.80s.',
    );
    expect(renderDashboardText(model)).toBe(msg.text);
  });

  it('stays within Slack limits', () => {
    expectValidMessage(msg);
    expect(blockTypes(msg.blocks)).not.toContain('actions');
  });

  it('says when no API data was reported', () => {
    const noApi = renderDashboardMessage(
      modelFor([makeRun({ companies: [makeCompany()] })], { kind: 'all' }),
    );
    expect(textsOf(noApi.blocks)).toContain(
      '*Apollo API health*\n_No API calls or metrics were reported for these runs._',
    );
    expectValidMessage(noApi);
  });

  it('shows trends against the previous period and the sparkline', () => {
    const runs = [
      makeRun({
        run_id: 'prev',
        started_at: '2026-11-12T09:00:00.000Z',
        companies: companies(10, (i) => ({ tier: i < 2 ? 'Tier 1' : 'Unqualified' })),
      }),
      makeRun({
        run_id: 'now',
        started_at: '2026-11-20T09:00:00.000Z',
        companies: companies(10, (i) => ({ tier: i < 5 ? 'Tier 1' : 'Unqualified' })),
      }),
    ];
    const all = textsOf(renderDashboardMessage(modelFor(runs, { kind: 'rolling', days: 7 })).blocks).join(
      '\n',
    );
    expect(all).toContain('*Trends* · vs the previous period (1 run)');
    expect(all).toContain('• Qualification rate: 50.0% (+30.0 pp vs 20.0%) ↑ Increasing');
    expect(all).toContain('• API success rate: n/a · _insufficient data to compare_');
    expect(all).toContain('Qualification rate, last 2 runs: ▁█  (20% · 50%)');
  });
});

describe('renderDashboardMessage: an empty period', () => {
  it('says there are no runs and how to upload one', () => {
    const msg = renderDashboardMessage(modelFor([], { kind: 'rolling', days: 30 }, 'UTC'));
    expect(msg.text).toBe('Apollo dashboard (Last 30 days): no runs in this period.');
    expect(blockTypes(msg.blocks)).toEqual(['header', 'context', 'section']);
    expect(textsOf(msg.blocks)).toEqual([
      'Apollo dashboard · Last 30 days',
      '2026-10-25 12:00 → 2026-11-24 12:00 UTC · 0 runs',
      '*No runs in this period.* Upload one with `/apollo-dashboard upload`, or let the pipeline POST it to `/api/runs`. ' +
        'Try a longer period such as `/apollo-dashboard all`, or see `/apollo-dashboard help`.',
    ]);
    expectValidMessage(msg);
  });

  it('says so for a date range with runs outside it, too', () => {
    const model = modelFor([realisticRun()], { kind: 'range', from: '2026-11-01', to: '2026-11-07' }, 'UTC');
    const msg = renderDashboardMessage(model);
    expect(msg.blocks[0]).toMatchObject({ text: { text: 'Apollo dashboard · 2026-11-01 to 2026-11-07' } });
    expect(textsOf(msg.blocks)[1]).toBe('2026-11-01 00:00 → 2026-11-08 00:00 UTC · 0 runs');
    expect(textsOf(msg.blocks).join('\n')).toContain('*No runs in this period.*');
  });
});

describe('renderDashboardMessage: hostile names are escaped', () => {
  const run = makeRun({
    companies: [
      ...companies(12, () => ({ industry: '<!channel>', icp_score: 95, tier: 'Tier 1', country: '<@U123>' })),
      ...companies(3, () => ({ industry: 'a & b', icp_score: 20, country: 'x > y' })),
    ],
    api_calls: [makeCall({ endpoint: 'a & b <!here>' })],
  });
  const msg = renderDashboardMessage(modelFor([run], { kind: 'all' }));
  const blockJson = JSON.stringify(msg.blocks);
  const all = textsOf(msg.blocks).join('\n');

  it('shows the names escaped', () => {
    expect(all).toContain('• *&lt;!channel&gt;*: 12');
    expect(all).toContain('• *&lt;@U123&gt;*: 12');
    expect(all).toContain('• *a &amp; b*: 3');
    expect(all).toContain('• *x &gt; y*: 3');
    expect(all).toContain('`a &amp; b &lt;!here&gt;`');
    // The recommendation that names the industry is escaped too.
    expect(all).toContain('Focus on &lt;!channel&gt;: mean ICP score 95.0 over 12 companies');
  });

  it('never carries them raw', () => {
    for (const raw of ['<!channel>', '<@U123>', '<!here>', 'a & b', 'x > y']) {
      expect(blockJson).not.toContain(raw);
      expect(msg.text).not.toContain(raw);
    }
    // Every & left is the start of an entity.
    expect(all.match(/&(?!amp;|lt;|gt;)/g)).toBeNull();
    expectValidMessage(msg);
  });
});

describe('renderDashboardMessage: a huge model stays within Slack limits', () => {
  const long = (prefix: string, i: number) => `${prefix} ${i} ${'x'.repeat(200)}`.slice(0, 200);
  const run = makeRun({
    companies: companies(3000, (i) => ({
      industry: long('Industry', i % 300),
      country: long('Country', i % 250),
      employees: i + 1,
      icp_score: (i * 7) % 101,
      tier: (['Tier 1', 'Tier 2', 'Tier 3', 'Unqualified'] as const)[i % 4],
    })),
    api_calls: calls(100, (i) => ({
      endpoint: long('endpoint', i),
      status_code: i % 3 ? 200 : 429,
      response_time: 3,
    })),
  });
  const computed = modelFor([run], { kind: 'all' });
  const recommendation = (i: number): Recommendation => ({
    area: 'qualification',
    message: `Recommendation ${i}: ${'<!channel> & more words '.repeat(10)}`,
    metric: 'industry_average_score',
    value: i,
    threshold: 50,
  });
  const huge: DashboardModel = {
    ...computed,
    recommendations: Array.from({ length: 200 }, (_, i) => recommendation(i)),
  };

  it('has the expected sizes before rendering', () => {
    // 100 named groups each, the rest added up in one (300 - 100 and 250 - 100 names).
    expect(huge.qualification_analytics.industry_analysis).toHaveLength(MAX_NAMED_GROUPS + 1);
    expect(huge.qualification_analytics.industry_analysis.at(-1)?.names).toBe(200);
    expect(huge.qualification_analytics.geographic_analysis).toHaveLength(MAX_NAMED_GROUPS + 1);
    expect(huge.qualification_analytics.geographic_analysis.at(-1)?.names).toBe(150);
    expect(huge.search_performance.endpoints).toHaveLength(100);
  });

  it('passes messageSchema (≤50 blocks, section text ≤3000, ≤10 fields, total size)', () => {
    const msg = renderDashboardMessage(huge);
    expectValidMessage(msg);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(msg.blocks[0]).toMatchObject({ type: 'header' });
    const all = textsOf(msg.blocks).join('\n');
    expect(all).toContain('*Discovered*\n3,000');
    expect(all).toContain('_…and 295 more_');
    expect(all).toContain('_…and 95 more endpoints_');
    expect(all).toContain('_…and 195 more in the export_');
    expect(all).not.toContain('<!channel>');
  });

  it('still fits when every section is at its limit', () => {
    const wide: DashboardModel = {
      ...huge,
      period: { ...huge.period, label: 'L'.repeat(500) },
      search_performance: {
        ...huge.search_performance,
        performance_issues: Array.from({ length: 40 }, (_, i) => `Issue ${i}: ${'y'.repeat(400)}`),
        endpoints: huge.search_performance.endpoints.map((e) => ({ ...e, endpoint: 'e'.repeat(3000) })),
      },
      qualification_analytics: {
        ...huge.qualification_analytics,
        industry_analysis: huge.qualification_analytics.industry_analysis.map((g) => ({
          ...g,
          name: '&'.repeat(3000),
        })),
      },
    };
    const msg = renderDashboardMessage(wide);
    expectValidMessage(msg);
    expect(msg.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: expect.stringMatching(/^Apollo dashboard · L+…$/) },
    });
    expect((msg.blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
    // Whatever did not fit is announced, not dropped silently.
    expect(textsOf(msg.blocks.at(-1))).toEqual([
      expect.stringMatching(/^…\d+ more sections left out to fit Slack's message limits\.$/),
    ]);
  });
});

describe('renderDashboardSummary: one screen, summary first', () => {
  // This week: the realistic run (150 Tier 1). The week before: 100 companies, 30 Tier 1, 40 % qualified.
  const before = makeRun({
    run_id: 'weekly-46',
    started_at: '2026-11-12T09:00:00.000Z',
    companies: companies(100, (i) => ({ tier: i < 30 ? 'Tier 1' : i < 40 ? 'Tier 2' : 'Unqualified' })),
    api_calls: calls(100, () => ({ endpoint: 'mixed_companies/search', response_time: 1 })),
  });
  const model = modelFor([realisticRun(), before], { kind: 'rolling', days: 7 });
  const noAlerts = renderDashboardSummary(model);
  const withAlert = renderDashboardSummary(model, {
    alerts: { notes: [], open: ['#3 API success rate 82.0% (error rate 18.0%)'] },
  });

  it('has at most 10 blocks within Slack limits, and a fallback text with the headline and the status', () => {
    for (const msg of [noAlerts, withAlert]) {
      expectValidMessage(msg);
      expect(msg.blocks.length).toBeLessThanOrEqual(10);
    }
    // 150 Tier 1 now, 30 before: +120. 2.0 % of calls rate-limited (5 of 250) keeps it from "Excellent".
    expect(noAlerts.text).toBe(
      'Apollo dashboard (Last 7 days): 150 Tier 1 accounts (↑ +120 better). ' +
        'Status: Needs attention (2.0% of calls rate-limited (429), above 1.0%).',
    );
  });

  it('leads with the headline figure and marks the key figures better, worse or stable', () => {
    const texts = textsOf(noAlerts.blocks);
    expect(texts[2]).toBe(
      '*150* Tier 1 accounts · ↑ +120 better _(vs the previous period of the same length)_',
    );
    // Qualification 600/1,234 = 48.6 % vs 40/100 = 40.0 %: +8.6 pp, better.
    expect(texts).toContain('*Qualification rate*\n48.6% · ↑ +8.6 pp better');
    // API success 240/250 = 96.0 % vs 100 %: −4.0 pp, worse.
    expect(texts).toContain('*API success rate*\n96.0% · ↓ −4.0 pp worse');
    // Avg response 0.80 s vs 1.00 s: faster is better, though the arrow points down.
    expect(texts).toContain('*Avg response (successful)*\n0.80s · ↓ −0.20s better');
    expect(texts).toContain('*Discovered*\n1,234 · ↑ +1,134 better');
  });

  it('never says Excellent while an alert is open, and lists the open alerts and three actions', () => {
    const texts = textsOf(withAlert.blocks).join('\n');
    expect(texts).not.toContain('Excellent');
    expect(texts).toContain(':red_circle: *Needs attention*: 1 open alert; 2.0% of calls rate-limited (429)');
    expect(texts).toContain('*Open alerts (1)*: #3 API success rate 82.0% (error rate 18.0%)');
    const actionsText = textsOf(withAlert.blocks).find((t) => t.startsWith('*Do next*')) ?? '';
    expect(actionsText.split('\n').slice(1)).toHaveLength(Math.min(3, model.recommendations.length));
    const buttons = withAlert.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => ('action_id' in b ? b.action_id : ''))).toEqual([
      ACTIONS.dashboardDetail,
      ACTIONS.dashboardTier1Csv,
      ACTIONS.dashboardAlerts,
    ]);
  });

  it('reads Excellent only when nothing is wrong', () => {
    const clean = modelFor(
      [
        makeRun({
          started_at: '2026-11-20T09:00:00.000Z',
          companies: companies(20, (i) => ({ tier: i < 10 ? 'Tier 1' : 'Unqualified' })),
          api_calls: calls(30, () => ({ response_time: 0.5 })),
        }),
      ],
      { kind: 'rolling', days: 7 },
    );
    expect(textsOf(renderDashboardSummary(clean).blocks)).toContain(':large_green_circle: *Excellent*');
    expect(
      textsOf(renderDashboardSummary(clean, { alerts: { notes: [], open: ['#1 x'] } }).blocks),
    ).toContain(':red_circle: *Needs attention*: 1 open alert');
  });
});

describe('the full dashboard: native charts and tables after the text that carries their figures', () => {
  const model = modelFor([realisticRun()], { kind: 'rolling', days: 7 });
  const msg = renderDashboardMessage(model);

  it('has a tier bar chart and industry, country and endpoint tables within Slack limits', () => {
    expectValidMessage(msg);
    const types = blockTypes(msg.blocks);
    expect(types.filter((t) => t === 'data_visualization').length).toBeLessThanOrEqual(2);
    const chart = msg.blocks.find((b) => b.type === 'data_visualization') as any;
    expect(chart.chart).toEqual({
      type: 'bar',
      series: [
        {
          name: 'Companies',
          data: [
            { label: 'Tier 1', value: 150 },
            { label: 'Tier 2', value: 200 },
            { label: 'Tier 3', value: 250 },
            { label: 'Unqualified', value: 634 },
          ],
        },
      ],
      axis_config: {
        categories: ['Tier 1', 'Tier 2', 'Tier 3', 'Unqualified'],
        x_label: 'Tier',
        y_label: 'Companies',
      },
    });
    const tables = msg.blocks.filter((b) => b.type === 'data_table') as any[];
    expect(tables.map((t) => t.caption)).toEqual(['API endpoints', 'Industries', 'Countries']);
    // Software: every third of 1,234 companies = 412.
    expect(tables[1].rows[1].slice(0, 2)).toEqual([
      { type: 'raw_text', text: 'Software' },
      { type: 'raw_number', value: 412, text: '412' },
    ]);
    // The text fallback beside the chart carries the same figures.
    expect(textsOf(msg.blocks).join('\n')).toContain('• *Tier 1*: 150 (12.2%)');
  });

  it('drops charts and tables, keeping every text section, for the invalid_blocks resend', () => {
    const plain = withoutRichBlocks(msg);
    expect(blockTypes(plain.blocks)).not.toContain('data_visualization');
    expect(blockTypes(plain.blocks)).not.toContain('data_table');
    expect(plain.blocks.length).toBe(
      msg.blocks.filter((b) => !['data_table', 'data_visualization'].includes(b.type)).length,
    );
    expectValidMessage(plain);
  });
});

describe('a group table past its row limit', () => {
  const group = (name: string, count: number, scored: number, average: number | null, tier1: number) => ({
    name,
    count,
    share: count / 100,
    scored,
    average_score: average,
    high_scorers: 0,
    tier_1_count: tier1,
  });

  it('keeps limit - 1 names and adds up the rest in one row, its mean weighted by scored companies', () => {
    const groups = [
      group('Software', 50, 40, 80, 10),
      group('Retail', 30, 10, 60, 2),
      group('Fintech', 15, 30, 40, 1),
      { ...group('All others', 5, 0, null, 0), names: 7 },
    ];
    const rows = tableGroups(groups, 2);
    expect(rows.map((g) => g.name)).toEqual(['Software', 'All others (9 names)']);
    // 30 + 15 + 5 companies; (60 x 10 + 40 x 30) / 40 scored = 45; Tier 1 2 + 1.
    expect(rows[1]).toMatchObject({ count: 50, scored: 40, average_score: 45, tier_1_count: 3 });
    expect(rows[1]?.share).toBeCloseTo(0.5, 10);
    expect(tableGroups(groups, 4)).toEqual(groups);
  });
});
