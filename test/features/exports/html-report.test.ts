/** The HTML report: self-contained, strict CSP, escaped, charts inline, and small for a huge period. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CampaignCounts, CampaignUpdate } from '../../../src/domain/campaigns.js';
import { MAX_NAMED_GROUPS, OTHER_GROUPS } from '../../../src/domain/dashboard-model.js';
import type { Campaign, Company } from '../../../src/domain/model.js';
import { DEFAULT_PERIOD } from '../../../src/domain/period.js';
import {
  HTML_TABLE_ROWS,
  REPORT_CSP,
  renderDashboardHtml,
} from '../../../src/features/exports/html-report.js';
import { escapeHtml, html, raw } from '../../../src/features/exports/html-safe.js';
import { buildExport } from '../../../src/features/exports/service.js';
import { companies, dashboardOf, makeRun } from '../../helpers/factories.js';
import { EXPORT_NOW, exportOf, exportRuns, HOSTILE, memorySource } from './fixtures.js';

/** The things a self-contained, script-free page must not contain. */
function expectSelfContained(page: string): void {
  // Text is escaped, so every `<` left in the page opens one of our own tags.
  expect(page).not.toMatch(/<script/i);
  const tags = (page.match(/<[^>]*>/g) ?? []).join('\n');
  expect(tags).not.toMatch(/\son[a-z]+\s*=/i); // no event-handler attributes
  expect(tags).not.toMatch(/\s(src|href|xlink:href|action|srcset|style)\s*=/i); // nothing fetched, no inline styles
  expect(tags).not.toMatch(/https?:|data:|javascript:/i);
  expect(tags).not.toMatch(/<(img|iframe|object|embed|link|base|form|image|use|foreignObject)\b/i);
  const css = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('');
  expect(css).not.toMatch(/url\(|@import|@font-face|expression\(/i);
}

describe('escapeHtml and the html template', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });

  it('escapes every interpolated value but keeps nested fragments', () => {
    const name = '<b>"x"</b>';
    expect(html`<p title="${name}">${name}${html`<i>${1}</i>`}${[raw('<br>'), 'a&b']}${null}</p>`.html).toBe(
      '<p title="&lt;b&gt;&quot;x&quot;&lt;/b&gt;">&lt;b&gt;&quot;x&quot;&lt;/b&gt;<i>1</i><br>a&amp;b</p>',
    );
  });
});

describe('the HTML report', () => {
  it('is one self-contained page with a strict CSP whose style hash matches its stylesheet', async () => {
    const file = await exportOf(exportRuns(), { format: 'html' });
    const page = file.content;
    expect(file.filename).toBe('apollo-dashboard_7d_2026-11-24.html');
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expectSelfContained(page);

    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    expect(csp).toBe(REPORT_CSP.replaceAll("'", '&#39;'));
    expect(REPORT_CSP).toContain("default-src 'none'");
    expect(REPORT_CSP).toContain("script-src 'none'");
    expect(REPORT_CSP).not.toContain('unsafe');
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] ?? '', 'utf8')
      .digest('base64');
    expect(REPORT_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(page).toContain('@media print');
  });

  it('draws the score histogram, tier, campaign, funnel and trend charts as inline SVG', async () => {
    const page = (await exportOf(exportRuns(), { format: 'html' })).content;
    const charts = [...page.matchAll(/<svg class="chart"[^>]*aria-labelledby="([^"]+)-title"/g)].map(
      (m) => m[1],
    );
    expect(charts).toEqual(['chart-scores', 'chart-tiers', 'chart-campaigns', 'chart-funnel', 'chart-trend']);
    // Tier 1 holds 2 of the 12 companies; the tallest score bucket (0-49, 3 companies) is full height.
    expect(page).toContain('>2 (16.7%)</text>');
    expect(page).toMatch(/<rect x="\d+" y="24" width="\d+" height="172" rx="2" fill="#9aa3ad"\/>/);
    for (const section of [
      'summary',
      'api',
      'qualification',
      'campaigns',
      'campaign-results',
      'funnel',
      'segments',
      'recommendations',
      'trends',
    ]) {
      expect(page).toContain(`<section id="${section}">`);
    }
    expect(page).toContain(
      'Last 7 days · 2026-11-17 12:00 → 2026-11-24 12:00 UTC · 2 runs · generated 2026-11-24 12:00 UTC',
    );
    await expect(page).toMatchFileSnapshot('__snapshots__/export/report.html');
  });

  it('shows hostile names as inert text', async () => {
    const runs = exportRuns();
    // Put the hostile names where the report shows them: industries, countries and endpoints.
    const first = runs[0];
    if (!first) throw new Error('no run');
    first.companies = first.companies.map((c, i) => ({
      ...c,
      industry: Object.values(HOSTILE)[i] ?? c.industry,
      country: i === 0 ? HOSTILE.channel : c.country,
    }));
    first.api_calls = first.api_calls.map((c, i) =>
      i === 0 ? { ...c, endpoint: '</svg><script>x()</script>' } : c,
    );
    const page = (await exportOf(runs, { format: 'html' })).content;
    expectSelfContained(page);
    expect(page).not.toContain('<!channel>');
    expect(page).not.toContain('</svg><script>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('&lt;!channel&gt; Corp');
    expect(page).toContain('=HYPERLINK(&quot;http');
    expect(page).toContain('&lt;/svg&gt;&lt;script&gt;x()&lt;/script&gt;');
  });

  it('says when the period has no runs', async () => {
    const page = (await exportOf([], { format: 'html' })).content;
    expectSelfContained(page);
    expect(page).toContain('<h2>No runs in this period</h2>');
    expect(page).toContain('Last 7 days · 2026-11-17 12:00 → 2026-11-24 12:00 UTC · 0 runs');
    await expect(page).toMatchFileSnapshot('__snapshots__/export/report-empty.html');
  });

  it('stays small for 100,000 companies: tables cut to the top entries with a count of the rest', () => {
    const n = 100_000;
    const many: Company[] = companies(n, (i) => ({
      name: `Company ${i}`,
      industry: `Industry ${i % 5000}`,
      country: `Country ${i}`,
      employees: (i % 20000) + 1,
      icp_score: i % 101,
      tier: i % 4 === 0 ? 'Tier 1' : i % 4 === 1 ? 'Tier 2' : i % 4 === 2 ? 'Tier 3' : 'Unqualified',
      campaign: i % 3 === 0 ? 'Email' : undefined,
    }));
    const model = dashboardOf([makeRun({ run_id: 'big', companies: many })]);
    // At most MAX_NAMED_GROUPS named countries; the rest are one group that counts its names.
    const countries = model.qualification_analytics.geographic_analysis;
    expect(countries).toHaveLength(MAX_NAMED_GROUPS + 1);
    expect(countries.at(-1)).toMatchObject({
      name: OTHER_GROUPS,
      names: n - MAX_NAMED_GROUPS,
      count: n - MAX_NAMED_GROUPS,
    });
    const page = renderDashboardHtml(model);
    expect(page.length).toBeLessThan(200_000);
    expectSelfContained(page);
    expect(page).toContain(
      `…and ${(n - HTML_TABLE_ROWS).toLocaleString('en-US')} more countries (99,975 companies)`,
    );
    expect(page).toContain('…and 4,975 more industries (99,500 companies)');
    const countryRows = page.match(/<td>Country \d+<\/td>/g) ?? [];
    expect(countryRows).toHaveLength(HTML_TABLE_ROWS);
    expect(page).toContain('<div class="kpi-label">Discovered</div><div class="kpi-value">100,000</div>');
  });
});

function update(
  channel: Campaign,
  date: string,
  counts: Partial<CampaignCounts>,
  mode: CampaignUpdate['mode'] = 'increment',
): CampaignUpdate {
  return {
    id: `u-${channel}-${date}-${mode}`,
    channel,
    date,
    mode,
    ...counts,
    user: 'U1',
    at: `${date}T18:00:00Z`,
    source: 'api',
  };
}

/** Email and LinkedIn sent this week (LinkedIn's opens corrected above its sends), Content nothing; Email the week before. */
const UPDATES: CampaignUpdate[] = [
  update('Email', '2026-11-20', { sent: 400, opened: 120, responded: 12, converted: 1 }),
  update('LinkedIn', '2026-11-21', { sent: 150, opened: 60, responded: 9, converted: 2 }),
  update('LinkedIn', '2026-11-21', { opened: 200 }, 'set'),
  update('Email', '2026-11-12', { sent: 300, opened: 90, responded: 12, converted: 0 }),
];

async function htmlWithCampaigns(runs = exportRuns(), updates: readonly CampaignUpdate[] = UPDATES) {
  const file = await buildExport({
    source: { ...memorySource(runs), campaigns: updates },
    request: { period: DEFAULT_PERIOD, tier: null, format: 'html' },
    now: EXPORT_NOW,
    defaultTimeZone: 'UTC',
  });
  return file.content;
}

/** The `<td>` texts of the table row whose first cell starts with `first`. */
function rowCells(page: string, first: string): string[] {
  const row = [...page.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].find((m) => m[1]?.startsWith(`<td>${first}`));
  return [...(row?.[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1] ?? '');
}

describe('the HTML report: campaign performance and funnel', () => {
  it('shows each channel, the best campaign, recommendations, warnings, the funnel and the campaign trends', async () => {
    const page = await htmlWithCampaigns();
    expectSelfContained(page);
    expect(page).toContain('<section id="campaign-results"><h2>Campaign performance</h2>');
    expect(rowCells(page, 'Email')).toEqual([
      'Email',
      '2',
      '400',
      '120',
      '12',
      '1',
      '30.0%',
      '3.0%',
      '0.25%',
      '200.00',
      '10,000.00',
      '4,900%',
    ]);
    expect(rowCells(page, 'LinkedIn')[0]).toBe('LinkedIn <span class="tag">best</span>');
    expect(rowCells(page, 'LinkedIn').at(-1)).toBe('26,567%');
    // Nothing sent: no rates and no ROI, and never a 0 % that would rank it.
    expect(page).toContain('<tr class="idle"><td>Content</td>');
    expect(rowCells(page, 'Content')).toEqual([
      'Content',
      '1',
      '0',
      '0',
      '0',
      '0',
      'n/a',
      'n/a',
      'n/a',
      '0.00',
      '0.00',
      'nothing sent',
    ]);
    expect(rowCells(page, 'All channels').at(-1)).toBe('10,809%');
    expect(page).toContain(
      'Best performing campaign: <span class="badge perf-excellent">LinkedIn</span> ROI 26,567%',
    );
    expect(page).toContain(
      '<li>LinkedIn: 200 opened but only 150 sent in this period; check the updates (<code>campaign linkedin set …</code> corrects a date).</li>',
    );
    expect(page).toContain('<li>Move budget from Email to LinkedIn: ROI 4,900%');
    expect(page).toContain('record them with <code>campaign content sent=N</code>.</li>');

    const funnel =
      /<svg class="chart"[^>]*aria-labelledby="chart-funnel-title">.*?<\/svg>/.exec(page)?.[0] ?? '';
    expect(funnel).toContain('<title id="chart-funnel-title">Funnel from discovery to conversion</title>');
    expect(funnel.match(/<rect /g)).toHaveLength(6);
    // 550 sends of 5 assigned companies: the step is flagged, not hidden.
    expect(funnel).toContain('>550 · 11000.0% *</text>');
    expect(page).toContain('<li>* Contacted (sent): More contacts than assigned companies');
    expect(page).toContain(
      '<div class="kpi-label">Converted of discovered</div><div class="kpi-value">25.00%</div>',
    );

    expect(rowCells(page, 'Campaign response rate')).toEqual([
      'Campaign response rate',
      '3.8%',
      '4.0%',
      '−0.2 pp',
      'Stable',
    ]);
    expect(rowCells(page, 'Campaign conversion rate')).toEqual([
      'Campaign conversion rate',
      '0.55%',
      '0.00%',
      '+0.55 pp',
      'Increasing',
    ]);
    expect(page).toContain(
      '<tr><td>Campaign ROI</td><td>10,809%</td><td>−100%</td><td>+10,909 pts</td><td class="up">Increasing</td></tr>',
    );
    await expect(page).toMatchFileSnapshot('__snapshots__/export/report-campaigns.html');
  });

  it('keeps a <script> in the campaign messages and funnel texts inert', () => {
    const model = dashboardOf(exportRuns(), { campaigns: UPDATES });
    const c = model.campaign_performance;
    const rec = c.recommended_actions[0];
    if (!rec) throw new Error('no recommendation');
    rec.message = `${HOSTILE.script} \`</code><script>x()</script>\``;
    c.warnings.push('<script>warn()</script>', 'unbalanced ` <b>bold</b>');
    const step = model.funnel.steps[3];
    if (!step) throw new Error('no step');
    step.label = '</svg><script>y()</script>';
    step.note = '<img src=x onerror=alert(1)>';
    const page = renderDashboardHtml(model);
    expectSelfContained(page);
    expect(page).toContain(
      '<li>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <code>&lt;/code&gt;&lt;script&gt;x()&lt;/script&gt;</code></li>',
    );
    expect(page).toContain('<li>&lt;script&gt;warn()&lt;/script&gt;</li>');
    expect(page).toContain('<li>unbalanced ` &lt;b&gt;bold&lt;/b&gt;</li>');
    expect(page).toContain('&lt;/svg&gt;&lt;script&gt;y()&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
  });

  it('reads sensibly without campaign updates: says so, and shows no 0 % ROI', async () => {
    const page = (await exportOf(exportRuns(), { format: 'html' })).content;
    expect(page).toContain('<p class="empty">No campaign updates are dated in this period');
    expect(page).not.toContain('Results per channel');
    expect(page).toContain(
      '<div class="kpi-label">Converted of discovered</div><div class="kpi-value">nothing sent</div>',
    );
    expect(page).toContain(
      'No campaign updates in this period: contacted, responded and converted stay at 0',
    );
    expect(page).toContain('aria-labelledby="chart-funnel-title"');
    expect(rowCells(page, 'Campaign ROI')).toEqual([
      'Campaign ROI',
      'nothing sent',
      'n/a',
      '',
      'Insufficient data',
    ]);
    expect(page).not.toMatch(/ROI[^<]*<\/div><div class="kpi-value">0/);
  });

  it('shows the campaign results of a period without runs, and nothing more', async () => {
    const page = await htmlWithCampaigns([]);
    expectSelfContained(page);
    expect(page).toContain('<h2>No runs in this period</h2>');
    expect(page).toContain('<section id="campaign-results"><h2>Campaign performance</h2>');
    expect(rowCells(page, 'Content').at(-1)).toBe('nothing sent');
    expect(page).not.toContain('<section id="funnel">');
    expect(page).not.toContain('<svg');

    const empty = (await exportOf([], { format: 'html' })).content;
    expect(empty).not.toContain('campaign-results');
  });
});
