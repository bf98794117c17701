/**
 * One number format everywhere: one fixed data set rendered on every surface (dashboard summary
 * and detail, App Home, digest, alert incident, HTML report) shows the same figures the same way.
 */
import { describe, expect, it } from 'vitest';
import { renderDashboardMessage, renderDashboardSummary } from '../src/blocks/dashboard.js';
import { aggregateRun } from '../src/domain/aggregate.js';
import { computeDashboard } from '../src/domain/dashboard.js';
import { applyAlertsChange } from '../src/features/alerts/change.js';
import { evaluateAlerts } from '../src/features/alerts/evaluate.js';
import { measureRun } from '../src/features/alerts/measure.js';
import { renderIncidentMessage } from '../src/features/alerts/messages.js';
import { emptyAlertState } from '../src/features/alerts/state.js';
import { renderDigestMessage } from '../src/features/digest/messages.js';
import { computeDigest } from '../src/features/digest/summary.js';
import { renderDashboardHtml } from '../src/features/exports/html-report.js';
import { renderHomeView } from '../src/features/home/view.js';
import { calls, companies, makeMeta, makeRun } from './helpers/factories.js';
import { homeViewSchema, messageSchema } from './helpers/slack-limits.js';

const NOW = new Date('2026-11-24T12:00:00Z');

// 2,480 companies (620 Tier 1 = 25.0 %, 1,240 qualified = 50.0 %); 400 calls, 50 of them 500s:
// success 350/400 = 87.5 %, error rate 12.5 %; every successful call 1.25 s.
const run = makeRun({
  run_id: 'fixed-1',
  started_at: '2026-11-23T09:00:00Z',
  companies: companies(2480, (i) => ({
    tier: i % 4 === 0 ? 'Tier 1' : i % 4 === 1 ? 'Tier 2' : 'Unqualified',
    industry: i % 2 === 0 ? 'Software' : 'Retail',
    icp_score: i % 4 === 0 ? 90 : 40,
  })),
  api_calls: calls(
    400,
    (i) => ({ status_code: i < 50 ? 500 : 200, response_time: 1.25 }),
    '2026-11-23T09:00:00Z',
  ),
});
const aggregate = aggregateRun(run);
const period = {
  key: '7d',
  label: 'Last 7 days',
  start: '2026-11-17T12:00:00.000Z',
  end: '2026-11-24T12:00:00.000Z',
  time_zone: 'UTC',
};
const model = computeDashboard({
  period,
  current: [aggregate],
  previous: { start: null, end: period.start, runs: [] },
  history: [makeMeta(run)],
  settings: { rate_limit: 1000 },
  generatedAt: NOW,
});
const empty = computeDashboard({
  period: { ...period, start: '2026-11-10T12:00:00.000Z', end: period.start },
  current: [],
  previous: null,
  history: [],
  settings: { rate_limit: 1000 },
  generatedAt: NOW,
});

function visible(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(visible).join('\n');
  if (!value || typeof value !== 'object') return '';
  return Object.entries(value)
    .map(([k, v]) => (k === 'text' && typeof v === 'string' ? v : visible(v)))
    .join('\n');
}

describe('one number format on every surface', () => {
  const open = evaluateAlerts({
    state: applyAlertsChange(
      emptyAlertState(),
      { kind: 'channel', channel: { id: 'C1' } },
      { now: NOW, user: 'U1', timeZone: 'UTC' },
    ).state,
    measurement: measureRun(aggregate, { rateLimit: 1000 }),
    now: NOW,
  });
  const incident = open.actions.find((a) => a.rule === 'success_rate')?.incident;
  const surfaces = {
    summary: renderDashboardSummary(model),
    detail: renderDashboardMessage(model),
    home: renderHomeView({
      model,
      alerts: { notes: [], open: [] },
      period: '7d',
      tier: 'all',
      updatedAt: NOW.toISOString(),
    }),
    digest: renderDigestMessage(
      computeDigest({
        current: model,
        previous: empty,
        runs: [makeMeta(run)],
        newTier1: [],
        incidents: null,
        generatedAt: NOW,
        lateFor: null,
        timeZone: 'UTC',
      }),
    ),
    incident: incident ? renderIncidentMessage(incident, { timeZone: 'UTC' }) : null,
  };

  it('renders every Slack surface within Slack limits', () => {
    for (const [name, msg] of Object.entries(surfaces)) {
      const schema = name === 'home' ? homeViewSchema : messageSchema;
      const result = schema.safeParse(msg);
      expect(result.success ? [] : result.error.issues, name).toEqual([]);
    }
  });

  it('shows the API success rate as 87.5% and the error rate as 12.5% everywhere', () => {
    const html = renderDashboardHtml(model);
    for (const [name, msg] of Object.entries(surfaces)) expect(visible(msg), name).toContain('87.5%');
    expect(html).toContain('87.5%');
    for (const name of ['summary', 'detail', 'incident'] as const)
      expect(visible(surfaces[name]), name).toContain('12.5%');
    expect(html).toContain('12.5%');
  });

  it('shows money in the workspace currency the same way on the detail, digest, App Home and HTML report', () => {
    // The same run with campaign results and `settings currency=EUR`: Email sent 1,000 and
    // converted 3 on 2026-11-22 (inside the period). With the default assumptions (0.50 per
    // contact, 10,000 per conversion): cost 1,000 × 0.50 = 500.00, revenue 3 × 10,000 = 30,000.00.
    const euro = computeDashboard({
      period,
      current: [aggregate],
      previous: { start: null, end: period.start, runs: [] },
      history: [makeMeta(run)],
      settings: { rate_limit: 1000, currency: 'EUR' },
      generatedAt: NOW,
      campaigns: [
        {
          id: 'u1',
          channel: 'Email',
          date: '2026-11-22',
          mode: 'increment',
          sent: 1000,
          converted: 3,
          user: 'U1',
          at: '2026-11-22T10:00:00Z',
          source: 'slack',
        },
      ],
    });
    expect(euro.currency).toBe('EUR');
    const rendered = {
      detail: renderDashboardMessage(euro),
      home: renderHomeView({
        model: euro,
        alerts: { notes: [], open: [] },
        period: '7d',
        tier: 'all',
        updatedAt: NOW.toISOString(),
      }),
      digest: renderDigestMessage(
        computeDigest({
          current: euro,
          previous: empty,
          runs: [makeMeta(run)],
          newTier1: [],
          incidents: null,
          generatedAt: NOW,
          lateFor: null,
          timeZone: 'UTC',
        }),
      ),
    };
    for (const [name, msg] of Object.entries(rendered)) {
      const schema = name === 'home' ? homeViewSchema : messageSchema;
      const result = schema.safeParse(msg);
      expect(result.success ? [] : result.error.issues, name).toEqual([]);
      const text = visible(msg);
      expect(text, name).toContain('€30,000.00');
      expect(text, name).not.toMatch(/(?<!€)\b30,000\.00\b/); // never without the currency
    }
    for (const name of ['detail', 'home'] as const)
      expect(visible(rendered[name]), name).toContain('€500.00');
    // The digest names the week's change in the same format: 0 the week before, so +€30,000.00.
    expect(visible(rendered.digest)).toContain('*Campaign revenue*\n€30,000.00 (↑ +€30,000.00 better)');
    const html = renderDashboardHtml(euro);
    expect(html).toContain('<td>€500.00</td><td>€30,000.00</td>');
    expect(html).not.toMatch(/>30,000\.00</);
    // Without the setting: plain amounts, the same on every surface.
    const plain = renderDashboardMessage({ ...euro, currency: null });
    expect(visible(plain)).toContain('cost 500.00 · revenue 30,000.00');
  });

  it('dates alerts and the digest with Slack date tokens in mrkdwn, plain text in headers and fallbacks', () => {
    // Period 2026-11-17 12:00 UTC (1794916800 s) to 2026-11-24 12:00 UTC (1795521600 s), generated at the end.
    const digest = JSON.stringify(surfaces.digest);
    expect(digest).toContain(
      'Last 7 days (<!date^1794916800^{date_short_pretty} at {time}|2026-11-17 12:00 UTC> to <!date^1795521600^{date_short_pretty} at {time}|2026-11-24 12:00 UTC>) vs the 7 before · 1 run · generated <!date^1795521600^{date_short_pretty} at {time}|2026-11-24 12:00 UTC>',
    );
    expect(surfaces.digest.text).not.toContain('<!date');
    // The incident opened at NOW: "Opened" and "Last updated" are tokens for 1795521600 s.
    const incident = JSON.stringify(surfaces.incident);
    expect(incident).toContain(
      'Opened <!date^1795521600^{date_short_pretty} at {time}|2026-11-24 12:00 UTC>',
    );
    expect(incident).toContain(
      'Last updated <!date^1795521600^{date_short_pretty} at {time}|2026-11-24 12:00 UTC>',
    );
    // Exports keep ISO text: no token in the HTML report.
    expect(renderDashboardHtml(model)).not.toContain('<!date');
  });

  it('shows counts with thousands separators and rates with one decimal on every surface', () => {
    const html = renderDashboardHtml(model);
    for (const name of ['summary', 'detail', 'home', 'digest'] as const) {
      const text = visible(surfaces[name]);
      expect(text, name).toContain('620'); // Tier 1
      expect(text, name).toContain('50.0%'); // qualification rate
      expect(text, name).not.toMatch(/\b2480\b|\b1240\b/); // never without the separator
    }
    for (const name of ['summary', 'detail', 'digest'] as const)
      expect(visible(surfaces[name]), name).toContain('2,480');
    expect(html).toContain('2,480');
    expect(html).toContain('50.0%');
    expect(html).not.toMatch(/>2480</);
    // Seconds with two decimals wherever the response time shows.
    for (const name of ['summary', 'detail', 'home'] as const)
      expect(visible(surfaces[name]), name).toContain('1.25s');
    expect(html).toContain('1.25s');
  });
});
