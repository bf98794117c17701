// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON in tests
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS } from '../../../src/ids.js';
import {
  blockActionPayload,
  type Harness,
  SIGNING_SECRET,
  startHarness,
  TEAM,
  visibleText,
} from '../../helpers/app-harness.js';
import { postSigned } from '../../helpers/signed-request.js';
import { assertAllSurfaces } from '../../helpers/slack-limits.js';

const NOW = new Date('2026-11-24T12:00:00Z');

/** 10 companies (3 Tier 1, 2 in Retail) and 40 calls one second apart, 1 of them a 429. */
function runBody(id: string, startedAt: string): string {
  const companies = Array.from({ length: 10 }, (_, i) => ({
    name: `Company ${i}`,
    industry: i < 8 ? 'Software' : 'Retail',
    country: i < 5 ? 'Germany' : 'France',
    employees: 50 + i,
    icp_score: 95 - i * 6,
    tier: i < 3 ? 'Tier 1' : i < 5 ? 'Tier 2' : 'Unqualified',
  }));
  const api_calls = Array.from({ length: 40 }, (_, i) => ({
    timestamp: new Date(Date.parse(startedAt) + i * 1000).toISOString(),
    endpoint: i < 30 ? '/mixed_companies/search' : '/organizations/enrich',
    response_time: 0.5,
    status_code: i === 39 ? 429 : 200,
  }));
  return JSON.stringify({ run_id: id, started_at: startedAt, companies, api_calls });
}

function homeOpened(user: string): Promise<unknown> {
  const body = JSON.stringify({
    token: 'legacy',
    team_id: TEAM,
    api_app_id: 'A_TEST',
    type: 'event_callback',
    event_id: `Ev${user}${Math.random().toString(36).slice(2, 8)}`,
    event_time: Math.floor(NOW.getTime() / 1000),
    event: { type: 'app_home_opened', user, channel: 'D_HOME', tab: 'home', event_ts: '1700000000.1' },
  });
  return postSigned(`http://127.0.0.1:${new URL(hRef.url).port}/slack/events`, body, {
    secret: SIGNING_SECRET,
    contentType: 'application/json',
  });
}

let hRef: Harness;

describe('the App Home', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
    hRef = h;
  });
  afterAll(async () => {
    await h.stop();
  });

  it('publishes the dashboard with period and tier filters when the Home tab is opened', async () => {
    expect((await h.ingest(runBody('run-1', '2026-11-23T09:00:00Z'))).status).toBe(201);
    await homeOpened('U_HOME');
    const published = await h.fake.waitFor(
      (c) => c.method === 'views.publish' && c.args.user_id === 'U_HOME',
    );
    assertAllSurfaces([published]);
    const view = published.args.view;
    expect(view.type).toBe('home');
    const filters = view.blocks.find((b: any) => b.block_id === BLOCKS.homeFilters);
    expect(filters.elements.map((e: any) => [e.action_id, e.initial_option.value])).toEqual([
      [ACTIONS.homePeriod, '7d'],
      [ACTIONS.homeTier, 'all'],
    ]);
    expect(filters.elements[0].options.map((o: any) => o.value)).toEqual(['7d', '30d', '90d', 'all']);
    const text = visibleText(view);
    // 3 Tier 1 of 10; 1 of 40 calls rate-limited = 2.5 %, above the 1 % share: the 429 rule opened
    // an incident (tracked though no channel is set), and the status is not "Excellent".
    expect(text).toContain('*3* Tier 1 accounts · no previous period');
    expect(text).toContain(
      ':red_circle: *Needs attention*: 1 open alert; 2.5% of calls rate-limited (429), above 1.0%',
    );
    expect(text).toContain('*Open alerts (1)*: #1 Rate-limited calls (429) 2.5%');
    const types = view.blocks.map((b: any) => b.type);
    expect(types).toContain('data_table');
    expect(types.filter((t: string) => t === 'data_visualization').length).toBeLessThanOrEqual(2);
    const industries = view.blocks.find((b: any) => b.type === 'data_table' && b.caption === 'Industries');
    expect(industries.rows[1].slice(0, 2)).toEqual([
      { type: 'raw_text', text: 'Software' },
      { type: 'raw_number', value: 8, text: '8' },
    ]);
  });

  it('re-publishes with the chosen tier, and keeps the choice when a new run refreshes it', async () => {
    const payload: any = blockActionPayload({
      actionId: ACTIONS.homeTier,
      value: '',
      responseUrl: 'http://127.0.0.1:1/x',
      user: 'U_HOME',
    });
    payload.actions = [
      {
        type: 'static_select',
        action_id: ACTIONS.homeTier,
        block_id: BLOCKS.homeFilters,
        selected_option: { text: { type: 'plain_text', text: 'Tier 1' }, value: 'Tier 1' },
        action_ts: '1700000000.2',
      },
    ];
    payload.container = { type: 'view', view_id: 'V_HOME' };
    payload.view = { id: 'V_HOME', type: 'home' };
    delete payload.channel;
    delete payload.response_url;
    const before = h.fake.callsOf('views.publish').length;
    expect((await h.interact(payload)).status).toBe(200);
    const tiered = await h.fake.waitFor(
      (c) => c.method === 'views.publish' && h.fake.callsOf('views.publish').indexOf(c) >= before,
    );
    assertAllSurfaces([tiered]);
    // Tier 1: 3 companies (30.0 %), scores 95, 89, 83: mean 89.0.
    expect(visibleText(tiered.args.view)).toContain(
      '*Tier 1*: 3 companies (30.0% of the period) · mean score 89.0 · range 83.0 – 95.0',
    );
    // Every table is filtered to Tier 1: the 3 Tier 1 companies are all Software (of 8) and all in
    // Germany (of 5), so Retail and France drop out: 3 = 100.0 % of Tier 1, 3/8 = 37.5 %, 3/5 = 60.0 %.
    const tables = Object.fromEntries(
      tiered.args.view.blocks
        .filter((b: any) => b.type === 'data_table')
        .map((b: any) => [b.caption, b.rows.map((r: any[]) => r.map((c) => c.text))]),
    );
    expect(tables['Industries · Tier 1']).toEqual([
      ['Industry', 'Tier 1', 'Share of Tier 1', 'Tier 1 of group', 'All companies'],
      ['Software', '3', '100.0%', '37.5%', '8'],
    ]);
    expect(tables['Countries · Tier 1']).toEqual([
      ['Country', 'Tier 1', 'Share of Tier 1', 'Tier 1 of group', 'All companies'],
      ['Germany', '3', '100.0%', '60.0%', '5'],
    ]);
    expect(tables.Industries).toBeUndefined();
    expect(visibleText(tiered.args.view)).toContain('Tables below are filtered to Tier 1');

    const count = h.fake.callsOf('views.publish').length;
    expect((await h.ingest(runBody('run-2', '2026-11-24T09:00:00Z'))).status).toBe(201);
    const refreshed = await h.fake.waitFor(
      (c) => c.method === 'views.publish' && h.fake.callsOf('views.publish').indexOf(c) >= count,
    );
    assertAllSurfaces([refreshed]);
    const text = visibleText(refreshed.args.view);
    expect(text).toContain('*6* Tier 1 accounts');
    expect(text).toContain('*Tier 1*: 6 companies');
    const filters = refreshed.args.view.blocks.find((b: any) => b.block_id === BLOCKS.homeFilters);
    expect(filters.elements[1].initial_option.value).toBe('Tier 1');
  });

  it('publishes through the delivery policy: a 429 on views.publish is waited out, then sent once more', async () => {
    h.fake.rateLimitNext('views.publish', 1, 1, (args) => args.user_id === 'U_LIMITED');
    await homeOpened('U_LIMITED');
    const published = await h.fake.waitFor(
      (c) =>
        c.method === 'views.publish' &&
        c.args.user_id === 'U_LIMITED' &&
        h.fake
          .callsOf('views.publish')
          .filter((x) => x.args.user_id === 'U_LIMITED')
          .indexOf(c) === 1,
      5_000,
    );
    const calls = h.fake.callsOf('views.publish').filter((c) => c.args.user_id === 'U_LIMITED');
    // The first call was refused with Retry-After 1 s; the policy sent it again, once.
    expect(calls).toHaveLength(2);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(published.args.view.type).toBe('home');
  });
});
