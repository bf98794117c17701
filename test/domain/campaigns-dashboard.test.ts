import { describe, expect, it } from 'vitest';
import { renderDashboardMessage } from '../../src/blocks/dashboard.js';
import { aggregateRun } from '../../src/domain/aggregate.js';
import { defaultRoiByChannel } from '../../src/domain/campaign-metrics.js';
import type { CampaignUpdate } from '../../src/domain/campaigns.js';
import { computeDashboard } from '../../src/domain/dashboard.js';
import type { Run } from '../../src/domain/model.js';
import { selectPeriod } from '../../src/domain/period.js';
import { calls, companies, makeMeta, makeRun } from '../helpers/factories.js';
import { assertSlackSurface } from '../helpers/slack-limits.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const TZ = 'UTC';

let seq = 0;
function upd(
  channel: CampaignUpdate['channel'],
  date: string,
  counts: Partial<Pick<CampaignUpdate, 'sent' | 'opened' | 'responded' | 'converted'>>,
  mode: CampaignUpdate['mode'] = 'increment',
): CampaignUpdate {
  seq += 1;
  const base = mode === 'increment' ? { sent: 0, opened: 0, responded: 0, converted: 0 } : {};
  return {
    id: `u${seq}`,
    channel,
    date,
    mode,
    user: 'U1',
    at: NOW.toISOString(),
    source: 'slack',
    ...base,
    ...counts,
  };
}

/** 100 companies: 20 qualified (5 Tier 1), 30 assigned (Email 20, LinkedIn 10); 40 credits. */
function run(overrides: Partial<Run> = {}): Run {
  return makeRun({
    run_id: 'run-now',
    started_at: '2026-11-22T09:00:00.000Z',
    companies: companies(100, (i) => ({
      name: `Co ${i}`,
      tier: i < 5 ? 'Tier 1' : i < 20 ? 'Tier 2' : 'Unqualified',
      icp_score: i < 20 ? 85 : 40,
      ...(i < 20 ? { campaign: 'Email' as const } : i < 30 ? { campaign: 'LinkedIn' as const } : {}),
    })),
    api_calls: calls(40, () => ({}), '2026-11-22T09:00:00.000Z'),
    ...overrides,
  });
}

const UPDATES: CampaignUpdate[] = [
  // Previous period (2026-11-11 .. 2026-11-17).
  upd('Email', '2026-11-12', { sent: 1000, responded: 30, converted: 1 }),
  // Current period (2026-11-18 .. today).
  upd('Email', '2026-11-20', { sent: 1500, opened: 600, responded: 60, converted: 2 }),
  upd('Email', '2026-11-21', { sent: 500, opened: 200, responded: 20, converted: 1 }),
  upd('LinkedIn', '2026-11-21', { sent: 400, opened: 0, responded: 4, converted: 0 }),
  upd('LinkedIn', '2026-11-21', { sent: 300 }, 'set'),
  // Before both periods: never counted in 7d.
  upd('Content', '2026-10-01', { sent: 999, converted: 9 }),
];

function model7d(options: { updates?: CampaignUpdate[]; runs?: Run[]; creditCost?: number | null } = {}) {
  const runs = options.runs ?? [run()];
  const metas = runs.map(makeMeta);
  const selection = selectPeriod({ kind: 'rolling', days: 7 }, metas, { now: NOW, timeZone: TZ });
  const ids = new Set(selection.current.map((m) => m.run_id));
  return computeDashboard({
    period: selection.period,
    current: runs.filter((r) => ids.has(r.run_id)).map(aggregateRun),
    previous: selection.previous,
    history: metas,
    settings: {
      rate_limit: 100,
      roi: { ...defaultRoiByChannel(), LinkedIn: { cost_per_contact: 1, revenue_per_conversion: 20000 } },
      credit_cost: options.creditCost === undefined ? 0.25 : options.creditCost,
    },
    generatedAt: NOW,
    campaigns: options.updates ?? UPDATES,
  });
}

describe('the dashboard’s campaign section, funnel and trends', () => {
  it('keeps the assignment distribution and adds the period’s campaign results with per-channel ROI', () => {
    const c = model7d().campaign_performance;
    expect(c.companies_assigned).toBe(30);
    expect(c.campaign_distribution).toEqual({ Email: 20, LinkedIn: 10, Content: 0, Unassigned: 70 });
    expect(c.updates).toBe(4);
    expect(c.campaign_comparison.Email).toMatchObject({
      status: 'active',
      assigned: 20,
      sent: 2000,
      opened: 800,
      responded: 80,
      converted: 3,
      open_rate: 0.4,
      response_rate: 0.04,
      conversion_rate: 0.0015,
      cost: 1000,
      revenue: 30000,
      roi: 2900,
    });
    // The set corrected LinkedIn's sends for 2026-11-21 and kept its responses.
    expect(c.campaign_comparison.LinkedIn).toMatchObject({
      sent: 300,
      responded: 4,
      converted: 0,
      cost_per_contact: 1,
      revenue_per_conversion: 20000,
      cost: 300,
      revenue: 0,
      roi: -100,
    });
    expect(c.campaign_comparison.Content).toMatchObject({ status: 'nothing_sent', sent: 0, roi: null });
    expect(c.best_performing_campaign).toBe('Email');
    expect(c.totals).toEqual({
      sent: 2300,
      opened: 800,
      responded: 84,
      converted: 3,
      cost: 1300,
      revenue: 30000,
    });
    expect(c.roi).toBe(2207.6923);
    expect(c.recommended_actions.map((r) => r.metric)).toEqual(['response_rate', 'roi_gap', 'roi']);
    expect(c.recommended_actions[0]?.message).toBe(
      "Rework LinkedIn targeting and messaging: its response rate is 1.3% (4 of 300 sent), less than half of the other channels' 4.0% (Email).",
    );
  });

  it('builds the funnel from discovery to conversion', () => {
    const f = model7d().funnel;
    expect(f.steps.map((s) => [s.step, s.count, s.rate_from_previous])).toEqual([
      ['discovered', 100, null],
      ['qualified', 20, 0.2],
      ['assigned', 30, 1.5],
      ['contacted', 2300, 76.666667],
      ['responded', 84, 0.036522],
      ['converted', 3, 0.035714],
    ]);
    expect(f.steps[2]?.note).toBe('More than the step before (20); check the figures.');
    expect(f).toMatchObject({
      overall_rate: 0.03,
      credits_used: 40,
      credit_cost: 0.25,
      cost_per_qualified_account: { credits: 2, money: 0.5 },
      credits_per_tier_1_account: 8,
      cost_per_tier_1_account: 2,
    });
    expect(model7d({ creditCost: null }).funnel.cost_per_qualified_account).toEqual({
      credits: 2,
      money: null,
    });
  });

  it('measures campaign trends against the previous period', () => {
    const t = model7d().trends;
    expect(t.campaign_response_rate).toEqual({
      current: 0.036522,
      previous: 0.03,
      change: 0.006522,
      direction: 'Increasing',
    });
    expect(t.campaign_conversion_rate).toEqual({
      current: 0.001304,
      previous: 0.001,
      change: 0.000304,
      direction: 'Stable',
    });
    expect(t.campaign_roi).toEqual({
      current: 2207.6923,
      previous: 1900,
      change: 307.6923,
      direction: 'Increasing',
    });
    // The existing trends keep their meaning.
    expect(t.qualification_rate.current).toBe(0.2);
  });

  it('renders the campaign section, the funnel and campaign trends within Slack’s limits', () => {
    const msg = renderDashboardMessage(model7d());
    assertSlackSurface({ method: 'chat.postMessage', args: msg });
    const text = JSON.stringify(msg.blocks);
    expect(msg.text).toContain('Campaigns: 2,300 sent, 3.7% responded, ROI 2,208% (best Email).');
    expect(text).toContain('best: *Email* (2,900%)');
    expect(text).toContain(
      '• *Email* :trophy:: 2,000 sent · 40.0% opened · 4.0% responded · 0.15% converted (3) · cost 1,000.00 · revenue 30,000.00 · ROI *2,900%*',
    );
    expect(text).toContain('• *Content*: nothing sent in this period · ROI n/a');
    expect(text).toContain('Rework LinkedIn targeting');
    expect(text).toContain('Contacted (sent)        2,300  7666.7% *');
    expect(text).toContain('per qualified account 2.00 (0.50)');
    expect(text).toContain('• Campaign ROI: 2,208% (+308 pts vs 1,900%) ↑ Increasing');
    expect(text).toContain('• Campaign response rate: 3.7% (+0.7 pp vs 3.0%) ↑ Increasing');
    expect(text).toContain('• Campaign conversion rate: 0.13% (+0.03 pp vs 0.10%) → Stable');
    expect(text).not.toContain('sections left out');
  });

  it('shows campaign results even in a period without runs, and nothing extra when there are none', () => {
    const noRuns = renderDashboardMessage(model7d({ runs: [] }));
    assertSlackSurface({ method: 'chat.postMessage', args: noRuns });
    expect(JSON.stringify(noRuns.blocks)).toContain('No runs in this period');
    expect(JSON.stringify(noRuns.blocks)).toContain('*Campaigns* · 2,300 sent');
    const empty = model7d({ runs: [], updates: [] });
    expect(empty.campaign_performance.best_performing_campaign).toBeNull();
    expect(empty.trends.campaign_roi.direction).toBe('Insufficient data');
    expect(JSON.stringify(renderDashboardMessage(empty).blocks)).not.toContain('*Campaigns*');
  });

  it('stays within the message budget with a busy workspace, keeping the trends', () => {
    const busy = run({
      companies: companies(3000, (i) => ({
        name: `Co ${i}`,
        industry: `Industry with a long descriptive name number ${i % 60}`,
        country: `Country ${i % 40}`,
        employees: (i % 12) * 900 + 1,
        tier: i % 7 === 0 ? 'Tier 1' : i % 3 === 0 ? 'Tier 2' : 'Unqualified',
        icp_score: i % 100,
        ...(i % 2 === 0 ? { campaign: 'Content' as const } : {}),
      })),
      api_calls: calls(300, (i) => ({
        endpoint: `/endpoint/${i % 9}`,
        status_code: i % 13 === 0 ? 429 : 200,
      })),
    });
    const msg = renderDashboardMessage(model7d({ runs: [busy] }));
    assertSlackSurface({ method: 'chat.postMessage', args: msg });
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('*Trends*');
    expect(text).toContain('*Funnel*');
  });
});
