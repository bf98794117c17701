// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON in tests
/**
 * The dashboard, the App Home, the digest, the HTML report and the alerts judge with the same rules: a
 * workspace's `alerts set` thresholds, not the seed's constants, decide what each one flags.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_DOC } from '../../../src/features/alerts/rules.js';
import { alertStateSchema } from '../../../src/features/alerts/state.js';
import { type Harness, SIGNING_SECRET, startHarness, TEAM, visibleText } from '../../helpers/app-harness.js';
import { postSigned } from '../../helpers/signed-request.js';
import { assertAllSurfaces, assertResponseBody } from '../../helpers/slack-limits.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const STARTED = '2026-11-24T09:00:00Z';

/**
 * 20 companies, 4 of them Tier 1 (qualification 20 %: "Excellent", above 15 %), and `calls` API
 * calls one second apart taking 0.5 s each (peak 60 a minute at most: 60 % of the 100/min limit),
 * the first `limited` answered 429 and the next `failed` answered 500.
 */
function runBody(o: { calls: number; limited: number; failed: number }): string {
  const companies = Array.from({ length: 20 }, (_, i) => ({
    name: `Company ${i}`,
    industry: 'Software',
    country: 'Germany',
    employees: 50 + i,
    icp_score: i < 4 ? 90 : 30,
    tier: i < 4 ? 'Tier 1' : 'Unqualified',
  }));
  const api_calls = Array.from({ length: o.calls }, (_, i) => ({
    timestamp: new Date(Date.parse(STARTED) + i * 1000).toISOString(),
    endpoint: '/mixed_companies/search',
    response_time: 0.5,
    status_code: i < o.limited ? 429 : i < o.limited + o.failed ? 500 : 200,
    credits_used: 1,
  }));
  return JSON.stringify({ run_id: 'run-1', started_at: STARTED, companies, api_calls });
}

function homeOpened(h: Harness, user: string): Promise<unknown> {
  const body = JSON.stringify({
    token: 'legacy',
    team_id: TEAM,
    api_app_id: 'A_TEST',
    type: 'event_callback',
    event_id: `Ev${user}${Math.random().toString(36).slice(2, 8)}`,
    event_time: Math.floor(NOW.getTime() / 1000),
    event: { type: 'app_home_opened', user, channel: 'D_HOME', tab: 'home', event_ts: '1700000000.1' },
  });
  return postSigned(`http://127.0.0.1:${new URL(h.url).port}/slack/events`, body, {
    secret: SIGNING_SECRET,
    contentType: 'application/json',
  });
}

interface Surfaces {
  summary: string;
  summaryFallback: string;
  full: string;
  home: string;
  digest: string;
  html: string;
  openIncidents: string[];
}

/** Every surface that judges the run, for one workspace after `commands` and the run's ingest. */
async function surfacesAfter(commands: string[], run: string): Promise<Surfaces> {
  const h = await startHarness({ now: () => NOW, env: { ADMIN_USER_IDS: 'U_ADMIN' } });
  try {
    for (const text of commands) {
      const { ack } = await h.command(text, { user: 'U_ADMIN' });
      expect(ack.status).toBe(200);
      expect(JSON.stringify(ack.json ?? {})).not.toContain('Usage');
    }
    expect((await h.ingest(run)).status).toBe(201);
    const state = await h.store.getDocument(TEAM, ALERTS_DOC, alertStateSchema);
    const openIncidents = Object.entries(state?.rules ?? {})
      .filter(([, rs]) => rs?.incident !== undefined && rs.incident.resolved_at === undefined)
      .map(([rule]) => rule);

    const summaryBody = await (await h.command('')).reply();
    assertResponseBody(summaryBody);
    const fullBody = await (await h.command('full')).reply();
    assertResponseBody(fullBody);

    await homeOpened(h, 'U_HOME');
    const published = await h.fake.waitFor(
      (c) => c.method === 'views.publish' && c.args.user_id === 'U_HOME',
    );
    assertAllSurfaces([published]);

    const digestBody = await (await h.command('digest preview')).reply();
    assertResponseBody(digestBody);

    const before = h.fake.uploads.length;
    await h.command('export html');
    await h.fake.waitFor((c) => c.method === 'files.completeUploadExternal');
    const upload = h.fake.uploads[before];
    if (!upload) throw new Error('the HTML report was not uploaded');
    return {
      summary: visibleText(summaryBody),
      summaryFallback: summaryBody.text,
      full: visibleText(fullBody),
      home: visibleText(published.args.view),
      digest: visibleText(digestBody),
      html: upload.bytes.toString('utf8'),
      openIncidents,
    };
  } finally {
    await h.stop();
  }
}

describe('a 429 share between the default and the workspace threshold', () => {
  // 13 of 1,000 calls answered 429: 1.3 %, above the default 1 %, below a threshold set at 2 %.
  // Success rate 987/1,000 = 98.7 % and error rate 1.3 % are within their defaults.
  const run = runBody({ calls: 1000, limited: 13, failed: 0 });
  let byDefault: Surfaces;
  let set: Surfaces;
  beforeAll(async () => {
    byDefault = await surfacesAfter([], run);
    set = await surfacesAfter(['alerts set rate_limited 2%'], run);
  });

  it('is flagged everywhere with the default threshold, and the alert opens', () => {
    expect(byDefault.openIncidents).toEqual(['rate_limited']);
    const reason = '1.3% of calls rate-limited (429), above 1.0%';
    expect(byDefault.summary).toContain(`*Needs attention*: 1 open alert; ${reason}`);
    expect(byDefault.summaryFallback).toContain(`Status: Needs attention (1 open alert; ${reason}).`);
    const advice = '13 calls were rate-limited (HTTP 429), 1.3% of calls (alert above 1.0%)';
    expect(byDefault.full).toContain(advice);
    expect(byDefault.full).toContain('(1.3% of calls got 429 &gt; 1.0%)');
    expect(byDefault.home).toContain(reason);
    expect(byDefault.digest).toContain(advice);
    expect(byDefault.html).toContain(advice);
    expect(byDefault.html).toContain('1.3% of calls got 429 &gt; 1.0%');
  });

  it('is flagged nowhere once the workspace sets the 429 rule at 2 %, and no alert opens', () => {
    expect(set.openIncidents).toEqual([]);
    for (const text of [set.summary, set.summaryFallback, set.full, set.home, set.digest, set.html]) {
      expect(text).not.toContain('above 1.0%');
      expect(text).not.toContain('rate-limited (HTTP 429)');
      expect(text).not.toContain('Needs attention');
      expect(text).not.toContain('of calls got 429');
    }
    // Qualification 4/20 = 20 %, above 15 %: nothing else keeps the status from reading well.
    expect(set.summaryFallback).toContain('Status: Excellent');
    expect(set.html).toContain('No performance issues');
  });
});

describe('a success rate between the default and the workspace threshold', () => {
  // 5 of 40 calls answered 500: success rate 35/40 = 87.5 % (default: below 95 %), error rate
  // 5/40 = 12.5 % (default: above 5 %); no 429, peak 40 calls in a minute (40 % of 100/min).
  const run = runBody({ calls: 40, limited: 0, failed: 5 });
  let byDefault: Surfaces;
  let set: Surfaces;
  beforeAll(async () => {
    byDefault = await surfacesAfter([], run);
    set = await surfacesAfter(['alerts set success_rate 80%', 'alerts set error_rate 20%'], run);
  });

  it('is flagged everywhere with the default thresholds, as one alert', () => {
    expect(byDefault.openIncidents).toEqual(['success_rate']);
    const reason = 'API success rate 87.5% (error rate 12.5%), below 95.0%';
    expect(byDefault.summary).toContain(`*Needs attention*: 1 open alert; ${reason}`);
    expect(byDefault.home).toContain(reason);
    const advice = 'success rate is 87.5%, below 95%.';
    expect(byDefault.full).toContain(advice);
    expect(byDefault.digest).toContain(advice);
    expect(byDefault.html).toContain(advice);
    expect(byDefault.html).toContain('error rate is 12.5%, above 5%');
    expect(byDefault.html).toContain('threshold 95%');
  });

  it('is flagged nowhere with success rate set at 80 % and error rate at 20 %, and no alert opens', () => {
    expect(set.openIncidents).toEqual([]);
    for (const text of [set.summary, set.summaryFallback, set.full, set.home, set.digest, set.html]) {
      expect(text).not.toContain('below 95');
      expect(text).not.toContain('above 5%');
      expect(text).not.toContain('Needs attention');
      expect(text).not.toContain('Improve API reliability');
    }
    expect(set.summaryFallback).toContain('Status: Excellent');
    // The report names the thresholds it judged with.
    expect(set.html).toContain('threshold 80%');
    expect(set.html).toContain('threshold 20%');
  });
});
