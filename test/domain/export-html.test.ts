/** The HTML report: self-contained, strict CSP, escaped, charts inline, and small for a huge period. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HTML_TABLE_ROWS, REPORT_CSP, renderDashboardHtml } from '../../src/domain/export/html-report.js';
import { escapeHtml, html, raw } from '../../src/domain/export/html-safe.js';
import type { Company } from '../../src/domain/model.js';
import { companies, dashboardOf, makeRun } from '../helpers/factories.js';
import { exportOf, exportRuns, HOSTILE } from './export-fixtures.js';

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

  it('draws the score histogram, tier, campaign and trend charts as inline SVG', async () => {
    const page = (await exportOf(exportRuns(), { format: 'html' })).content;
    const charts = [...page.matchAll(/<svg class="chart"[^>]*aria-labelledby="([^"]+)-title"/g)].map(
      (m) => m[1],
    );
    expect(charts).toEqual(['chart-scores', 'chart-tiers', 'chart-campaigns', 'chart-trend']);
    // Tier 1 holds 2 of the 12 companies; the tallest score bucket (0-49, 3 companies) is full height.
    expect(page).toContain('>2 (16.7%)</text>');
    expect(page).toMatch(/<rect x="\d+" y="24" width="\d+" height="172" rx="2" fill="#9aa3ad"\/>/);
    for (const section of [
      'summary',
      'api',
      'qualification',
      'campaigns',
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
    expect(model.qualification_analytics.geographic_analysis).toHaveLength(n);
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
