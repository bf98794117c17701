import { describe, expect, it } from 'vitest';
import { aggregateRun } from '../../../src/domain/aggregate.js';
import type { ApiCall } from '../../../src/domain/model.js';
import { isAppError } from '../../../src/errors.js';
import { acknowledgeIncident, applyAlertsChange } from '../../../src/features/alerts/change.js';
import { type AlertAction, evaluateAlerts, recordDelivery } from '../../../src/features/alerts/evaluate.js';
import { measureRun, type RunMeasurement } from '../../../src/features/alerts/measure.js';
import { renderAlertsStatus, renderIncidentMessage } from '../../../src/features/alerts/messages.js';
import { ALERT_RULE_IDS, type AlertRuleId } from '../../../src/features/alerts/rules.js';
import {
  type AlertState,
  alertStateSchema,
  emptyAlertState,
  type Incident,
  resolveRule,
} from '../../../src/features/alerts/state.js';
import { formatDuration, summarizeIncidents } from '../../../src/features/alerts/summary.js';
import { calls, companies, dashboardOf, makeRun } from '../../helpers/factories.js';

const T0 = Date.parse('2026-11-20T09:00:00.000Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * HOUR);
const ADMIN = 'U_ADMIN';

interface RunSpec {
  calls?: number;
  failed?: number;
  /** Status of the failed calls. */
  failStatus?: number;
  rt?: number;
  companies?: number;
  qualified?: number;
  /** Seconds between calls (1 by default). */
  spacing?: number;
  endpoint?: (i: number) => string;
}

/** A run at hour `hour` after T0, measured as the alerts see it. */
function runAt(id: string, hour: number, spec: RunSpec = {}): RunMeasurement {
  const n = spec.calls ?? 100;
  const failed = spec.failed ?? 0;
  const start = at(hour);
  const callLog: ApiCall[] = calls(
    n,
    (i) => ({
      timestamp: new Date(start.getTime() + i * 1000 * (spec.spacing ?? 1)).toISOString(),
      status_code: i < failed ? (spec.failStatus ?? 500) : 200,
      response_time: spec.rt ?? 0.5,
      endpoint: spec.endpoint?.(i) ?? '/mixed_companies/search',
    }),
    start.toISOString(),
  );
  const qualified = spec.qualified ?? 0;
  const run = makeRun({
    run_id: id,
    started_at: start.toISOString(),
    api_calls: callLog,
    companies: companies(spec.companies ?? 0, (i) => ({
      name: `Co ${i}`,
      tier: i < qualified ? 'Tier 2' : 'Unqualified',
    })),
  });
  return measureRun(aggregateRun(run), { rateLimit: 100 });
}

/** A state routed to #alerts with only `rules` turned on. */
function stateWith(rules: readonly AlertRuleId[], channel = true): AlertState {
  let state = emptyAlertState();
  const ctx = { now: at(-1), user: ADMIN, timeZone: 'UTC' };
  if (channel)
    state = applyAlertsChange(
      state,
      { kind: 'channel', channel: { id: 'C_ALERTS', name: 'alerts' } },
      ctx,
    ).state;
  const off = ALERT_RULE_IDS.filter((r) => !rules.includes(r));
  if (off.length > 0)
    state = applyAlertsChange(state, { kind: 'enable', rules: off, enabled: false }, ctx).state;
  return state;
}

/** Evaluates at `now` and confirms every send (posts get ts `ts-<incident>`), as the edge does. */
function step(
  state: AlertState,
  m: RunMeasurement,
  now: Date,
): { state: AlertState; actions: AlertAction[] } {
  const r = evaluateAlerts({ state, measurement: m, now });
  let next = r.state;
  for (const a of r.actions) {
    next = recordDelivery(next, a, {
      ok: true,
      at: now,
      ts: `ts-${a.incident.number}`,
      channel: a.incident.channel,
    });
  }
  return { state: next, actions: r.actions };
}

const kinds = (actions: readonly AlertAction[]) =>
  actions.map((a) => `${a.kind}:${a.rule}#${a.incident.number}`);

describe('measuring a run', () => {
  it('uses the same figures as the dashboard', () => {
    const run = makeRun({
      run_id: 'r',
      api_calls: [
        ...calls(30, (i) => ({ status_code: i < 3 ? 500 : 200, response_time: 0.4 + i / 100 })),
        ...calls(
          5,
          () => ({ endpoint: '/organizations/enrich', status_code: 429, response_time: 3 }),
          '2026-11-20T09:02:00Z',
        ),
      ],
      companies: companies(40, (i) => ({ tier: i % 7 === 0 ? 'Tier 1' : 'Unqualified' })),
    });
    const m = measureRun(aggregateRun(run), { rateLimit: 100 });
    const d = dashboardOf([run]);
    expect(m.api.success_rate).toBe(d.search_performance.success_rate);
    expect(m.api.error_rate).toBe(d.search_performance.error_rate);
    expect(m.api.average_response_time).toBe(d.search_performance.average_response_time);
    expect(m.api.rate_limited).toBe(d.search_performance.rate_limited_calls);
    expect(m.api.peak_per_minute).toBe(d.search_performance.rate_limit_status.peak_requests_per_minute);
    expect(m.api.peak_usage).toBe(d.search_performance.rate_limit_status.peak_usage);
    expect(m.qualification_rate).toBe(d.executive_summary.qualification_rate);
    expect(m.api.success_rate).toBeCloseTo(27 / 35, 6);
    expect(m.qualification_rate).toBeCloseTo(6 / 40, 6);
  });
});

describe('evaluateAlerts', () => {
  it('opens one incident for a breaching run, with the value, the run and the endpoint detail', () => {
    const state = stateWith(['success_rate']);
    const m = runAt('run-a', 0, {
      calls: 100,
      failed: 6,
      endpoint: (i) => (i < 6 ? '/organizations/enrich' : '/mixed_companies/search'),
    });
    const r = evaluateAlerts({ state, measurement: m, now: at(0.1) });
    expect(kinds(r.actions)).toEqual(['open:success_rate#1']);
    const incident = r.actions[0]?.incident;
    expect(incident).toMatchObject({
      number: 1,
      channel: 'C_ALERTS',
      latest_value: 0.94,
      threshold: 0.95,
      recovery: 0.96,
      breaching_runs: 1,
      opened_run: { run_id: 'run-a' },
    });
    expect(incident?.detail.api?.endpoints.map((e) => [e.endpoint, e.failed, e.status_codes])).toEqual([
      ['/organizations/enrich', 6, { 500: 6 }],
      ['/mixed_companies/search', 0, { 200: 94 }],
    ]);
    // Recorded even before anything is sent; the message ts only once Slack confirms.
    expect(r.state.rules.success_rate?.last_evaluation).toEqual({
      run_id: 'run-a',
      at: at(0.1).toISOString(),
      outcome: 'breach',
      value: 0.94,
    });
    expect(r.state.rules.success_rate?.incident?.message_ts).toBeUndefined();
    expect(r.state.next_incident).toBe(2);
    // Round-trips through the store schema.
    expect(alertStateSchema.parse(JSON.parse(JSON.stringify(r.state)))).toEqual(r.state);
  });

  it('records healthy runs without sending anything', () => {
    const r = evaluateAlerts({
      state: stateWith([...ALERT_RULE_IDS]),
      measurement: runAt('ok', 0, { companies: 30, qualified: 6 }),
      now: at(0),
    });
    expect(r.actions).toEqual([]);
    for (const id of ALERT_RULE_IDS) expect(r.state.rules[id]?.last_evaluation?.outcome).toBe('ok');
    expect(r.state.rules.peak_usage?.last_evaluation?.value).toBe(0.6);
  });

  it('updates in place within the repeat interval and replies in the thread after it', () => {
    let s = stateWith(['success_rate']);
    let out = step(s, runAt('r1', 0, { failed: 10 }), at(0));
    expect(kinds(out.actions)).toEqual(['open:success_rate#1']);
    s = out.state;
    expect(s.rules.success_rate?.incident).toMatchObject({
      message_ts: 'ts-1',
      last_reply_at: at(0).toISOString(),
    });

    out = step(s, runAt('r2', 1, { failed: 12 }), at(1));
    expect(kinds(out.actions)).toEqual(['update:success_rate#1']);
    expect(out.actions[0]?.incident).toMatchObject({
      breaching_runs: 2,
      latest_value: 0.88,
      worst_value: 0.88,
    });
    s = out.state;

    out = step(s, runAt('r3', 3.9, { failed: 8 }), at(3.9));
    expect(kinds(out.actions)).toEqual(['update:success_rate#1']);
    s = out.state;

    out = step(s, runAt('r4', 4, { failed: 7 }), at(4));
    expect(kinds(out.actions)).toEqual(['repeat:success_rate#1']);
    expect(out.actions[0]?.incident).toMatchObject({
      breaching_runs: 4,
      worst_value: 0.88,
      latest_value: 0.93,
    });
    s = out.state;
    expect(s.rules.success_rate?.last_notification).toEqual({
      at: at(4).toISOString(),
      kind: 'repeat',
      incident: 1,
    });

    // The interval counts from the last reply.
    out = step(s, runAt('r5', 5, { failed: 7 }), at(5));
    expect(kinds(out.actions)).toEqual(['update:success_rate#1']);
    out = step(out.state, runAt('r6', 8.5, { failed: 7 }), at(8.5));
    expect(kinds(out.actions)).toEqual(['repeat:success_rate#1']);
  });

  it('resolves only past the recovery threshold (hysteresis), then a new breach is a new incident', () => {
    let s = stateWith(['success_rate']);
    s = step(s, runAt('r1', 0, { failed: 6 }), at(0)).state; // 94 %: open
    let out = step(s, runAt('r2', 1, { calls: 200, failed: 9 }), at(1)); // 95.5 %: between the thresholds
    expect(kinds(out.actions)).toEqual(['update:success_rate#1']);
    expect(out.state.rules.success_rate?.last_evaluation?.outcome).toBe('recovering');
    expect(out.state.rules.success_rate?.incident?.breaching_runs).toBe(1);
    s = out.state;

    out = step(s, runAt('r3', 2.5, { calls: 1000, failed: 35 }), at(2.5)); // 96.5 %: recovered
    expect(kinds(out.actions)).toEqual(['resolve:success_rate#1']);
    expect(out.actions[0]?.reply).toBe(true);
    expect(out.actions[0]?.incident).toMatchObject({
      resolution: 'recovered',
      resolved_at: at(2.5).toISOString(),
      resolved_run: { run_id: 'r3' },
      message_ts: 'ts-1',
      channel: 'C_ALERTS',
      latest_value: 0.965,
    });
    s = out.state;
    expect(s.rules.success_rate?.incident).toBeUndefined();
    expect(s.history[0]?.number).toBe(1);
    expect(s.history[0]?.resolve_pending).toBeUndefined();
    expect(s.rules.success_rate?.last_notification?.kind).toBe('resolve');

    out = step(s, runAt('r4', 3, { failed: 5 }), at(3)); // 95 % exactly is not below 95 %
    expect(out.actions).toEqual([]);
    out = step(out.state, runAt('r5', 4, { failed: 6 }), at(4));
    expect(kinds(out.actions)).toEqual(['open:success_rate#2']);
  });

  it('does not send a message per run while the value flaps around the threshold', () => {
    let s = stateWith(['success_rate']);
    // 94 %, 95.5 %, 94.5 %, 95.9 %, 94.8 %, 95.2 %, 94.9 %: crosses 95 % on every run.
    const series: Array<[number, number]> = [
      [100, 6],
      [200, 9],
      [200, 11],
      [1000, 41],
      [1000, 52],
      [1000, 48],
      [1000, 51],
    ];
    const notifying: string[] = [];
    series.forEach(([n, failed], i) => {
      const out = step(s, runAt(`f${i}`, i * 0.5, { calls: n, failed }), at(i * 0.5));
      notifying.push(...kinds(out.actions.filter((a) => a.kind !== 'update')));
      s = out.state;
    });
    expect(notifying).toEqual(['open:success_rate#1']);
    expect(s.rules.success_rate?.incident?.breaching_runs).toBe(4);
    expect(s.next_incident).toBe(2);
  });

  it('does not judge a run with too little evidence, and keeps an open incident as it is', () => {
    let s = stateWith(['success_rate', 'qualification_rate']);
    let out = step(s, runAt('small', 0, { calls: 19, failed: 19, companies: 19, qualified: 0 }), at(0));
    expect(out.actions).toEqual([]);
    expect(out.state.rules.success_rate?.last_evaluation).toMatchObject({
      outcome: 'insufficient',
      value: null,
      note: '19 API calls in the run (minimum 20)',
    });
    expect(out.state.rules.qualification_rate?.last_evaluation?.note).toBe(
      '19 companies in the run (minimum 20)',
    );

    out = step(out.state, runAt('big', 1, { calls: 20, failed: 2, companies: 20, qualified: 1 }), at(1));
    expect(kinds(out.actions)).toEqual(['open:success_rate#1', 'open:qualification_rate#2']);
    out = step(out.state, runAt('small2', 2, { calls: 5, companies: 3 }), at(2));
    expect(out.actions).toEqual([]);
    expect(out.state.rules.success_rate?.incident?.breaching_runs).toBe(1);

    s = applyAlertsChange(
      out.state,
      { kind: 'option', option: 'min_api_calls', value: 5 },
      { now: at(2), user: ADMIN, timeZone: 'UTC' },
    ).state;
    out = step(s, runAt('small3', 3, { calls: 5, companies: 3 }), at(3));
    expect(kinds(out.actions)).toEqual(['resolve:success_rate#1']);
  });

  it('holds messages back while muted and announces a still-open incident when the mute expires', () => {
    let s = stateWith(['success_rate']);
    s = applyAlertsChange(
      s,
      { kind: 'mute', rules: 'all', durationMs: 2 * HOUR },
      { now: at(0), user: ADMIN, timeZone: 'UTC' },
    ).state;
    let out = step(s, runAt('m1', 0.5, { failed: 10 }), at(0.5));
    expect(out.actions).toEqual([]);
    expect(out.state.rules.success_rate?.incident).toMatchObject({ number: 1, breaching_runs: 1 });
    expect(out.state.rules.success_rate?.incident?.message_ts).toBeUndefined();

    out = step(out.state, runAt('m2', 1.9, { failed: 10 }), at(1.9));
    expect(out.actions).toEqual([]);

    out = step(out.state, runAt('m3', 2.1, { failed: 10 }), at(2.1));
    expect(kinds(out.actions)).toEqual(['open:success_rate#1']);
    expect(out.actions[0]?.incident.breaching_runs).toBe(3);
    expect(out.state.rules.success_rate?.muted_until).toBeUndefined();
  });

  it('turns thread reminders into silent updates while muted', () => {
    let s = stateWith(['success_rate']);
    s = step(s, runAt('a', 0, { failed: 10 }), at(0)).state;
    const muted = applyAlertsChange(
      s,
      { kind: 'mute', rules: ['success_rate'], durationMs: 24 * HOUR },
      { now: at(1), user: ADMIN, timeZone: 'UTC' },
    );
    expect(kinds(muted.actions)).toEqual(['update:success_rate#1']);
    expect(muted.summary).toBe('Muted until 2026-11-21 10:00 (UTC): API success rate.');
    const out = step(muted.state, runAt('b', 6, { failed: 10 }), at(6));
    expect(kinds(out.actions)).toEqual(['update:success_rate#1']);
    const resolved = step(out.state, runAt('c', 7, { failed: 0 }), at(7));
    expect(kinds(resolved.actions)).toEqual(['resolve:success_rate#1']);
    expect(resolved.actions[0]?.reply).toBe(false);
  });

  it('opens no 429 incident for a few rate-limited calls, and one above 1 % of the run', () => {
    const s = stateWith([...ALERT_RULE_IDS]);
    // 1 of 200 calls got a 429: 0.5 %, under the 1 % default.
    const few = step(
      s,
      runAt('few', 0, { calls: 200, failed: 1, failStatus: 429, rt: 0.5, spacing: 1 }),
      at(0),
    );
    expect(few.actions).toEqual([]);
    expect(few.state.rules.rate_limited?.last_evaluation).toMatchObject({ outcome: 'ok', value: 0.005 });
    // 3 of 200: 1.5 %, above it.
    const many = step(
      few.state,
      runAt('many', 1, { calls: 200, failed: 3, failStatus: 429, rt: 0.5, spacing: 1 }),
      at(1),
    );
    expect(kinds(many.actions)).toEqual(['open:rate_limited#1']);
    expect(many.actions[0]?.incident.latest_value).toBe(0.015);
  });

  it('keeps applying a 429 threshold stored as a count (before shares), and says so; a new share replaces it', () => {
    // An alert state as stored before 429s were judged as a share: `alerts set 429 5 recovery 2`
    // kept whole numbers of rate-limited calls per run, with no unit.
    const base = stateWith(['rate_limited']);
    const stored = alertStateSchema.parse(
      JSON.parse(
        JSON.stringify({
          ...base,
          rules: {
            ...base.rules,
            rate_limited: { threshold: 5, recovery: 2, changed_by: ADMIN, changed_at: at(-2).toISOString() },
          },
        }),
      ),
    );
    expect(resolveRule(stored, 'rate_limited')).toMatchObject({ unit: 'count', threshold: 5, recovery: 2 });
    // 6 of 1,000 calls got a 429: 0.6 %, under the 1 % share default, but above the stored 5 calls.
    const opened = step(
      stored,
      runAt('six', 0, { calls: 1000, failed: 6, failStatus: 429, spacing: 0.1 }),
      at(0),
    );
    expect(kinds(opened.actions)).toEqual(['open:rate_limited#1']);
    const incident = opened.actions[0]?.incident;
    expect(incident).toMatchObject({ unit: 'count', threshold: 5, recovery: 2, latest_value: 6 });
    const msg = renderIncidentMessage(incident as Incident, { timeZone: 'UTC' });
    expect(msg.text).toBe('New incident #1: Rate-limited calls (429) 6 calls, above 5 calls. Run six.');
    // 3 calls: no longer above 5, not yet at 2 or less: still open, recovering.
    const between = step(
      opened.state,
      runAt('three', 1, { calls: 1000, failed: 3, failStatus: 429, spacing: 0.1 }),
      at(1),
    );
    expect(between.state.rules.rate_limited?.last_evaluation).toMatchObject({
      outcome: 'recovering',
      value: 3,
    });
    // 2 calls: at the recovery count, resolved.
    const resolved = step(
      between.state,
      runAt('two', 2, { calls: 1000, failed: 2, failStatus: 429, spacing: 0.1 }),
      at(2),
    );
    expect(kinds(resolved.actions)).toEqual(['resolve:rate_limited#1']);
    // The alerts view shows the count and why it is one.
    const status = JSON.stringify(renderAlertsStatus(resolved.state, { timeZone: 'UTC', now: at(2) }));
    expect(status).toContain('alerts above 5 calls, recovers at 2 calls or less');
    expect(status).toContain('set as a count of rate-limited calls per run');
    // Setting a share replaces the count whole: the recovery goes to the share default, not 2 calls.
    const changed = applyAlertsChange(
      resolved.state,
      { kind: 'set', rule: 'rate_limited', threshold: 0.02 },
      { now: at(3), user: ADMIN, timeZone: 'UTC' },
    );
    expect(changed.summary).toBe('Rate-limited calls (429) now alerts above 2.0% and recovers at 0.5%.');
    expect(changed.state.rules.rate_limited).toMatchObject({
      threshold: 0.02,
      recovery: 0.005,
      unit: 'share',
    });
    expect(resolveRule(changed.state, 'rate_limited')).toMatchObject({ unit: 'percent', threshold: 0.02 });
    // A share of exactly 100 % stays a share once written with its unit.
    const all = applyAlertsChange(
      changed.state,
      { kind: 'set', rule: 'rate_limited', threshold: 1, recovery: 0.5 },
      { now: at(4), user: ADMIN, timeZone: 'UTC' },
    ).state;
    expect(resolveRule(all, 'rate_limited')).toMatchObject({ unit: 'percent', threshold: 1, recovery: 0.5 });
  });

  it('reads a stored 429 threshold of 0 calls (any 429) the same as a share of 0 %', () => {
    const base = stateWith(['rate_limited']);
    const stored = alertStateSchema.parse({
      ...base,
      rules: { ...base.rules, rate_limited: { threshold: 0, recovery: 0 } },
    });
    expect(resolveRule(stored, 'rate_limited')).toMatchObject({ unit: 'percent', threshold: 0, recovery: 0 });
    // 1 of 1,000 calls: 0.1 % > 0, so it alerts, as "above 0 calls" did.
    const r = step(stored, runAt('one', 0, { calls: 1000, failed: 1, failStatus: 429, spacing: 0.1 }), at(0));
    expect(kinds(r.actions)).toEqual(['open:rate_limited#1']);
  });

  it('evaluates several rules at once, one incident per problem', () => {
    const s = stateWith([...ALERT_RULE_IDS]);
    const m = runAt('bad', 0, {
      calls: 100,
      failed: 20,
      failStatus: 429,
      rt: 2.5,
      spacing: 0.5,
      companies: 50,
      qualified: 2,
    });
    const out = step(s, m, at(0));
    // The error rate (20 %) is the success rate's complement: it is named in #1, not opened apart.
    expect(kinds(out.actions)).toEqual([
      'open:success_rate#1',
      'open:response_time#2',
      'open:qualification_rate#3',
      'open:rate_limited#4',
      'open:peak_usage#5',
    ]);
    expect(out.state.rules.error_rate?.last_evaluation).toMatchObject({
      outcome: 'breach',
      value: 0.2,
      note: 'named in incident #1',
    });
    const values = Object.fromEntries(out.actions.map((a) => [a.rule, a.incident.latest_value]));
    expect(values).toEqual({
      success_rate: 0.8,
      response_time: 2.5,
      qualification_rate: 0.04,
      rate_limited: 0.2, // 20 of 100 calls got a 429
      peak_usage: 1, // all 100 calls within 50 s against 100/min
    });
    const healthy = step(
      out.state,
      runAt('good', 1, { calls: 100, rt: 0.5, companies: 50, qualified: 10 }),
      at(1),
    );
    expect(healthy.actions.map((a) => a.kind)).toEqual(Array(5).fill('resolve'));
  });

  it('does not post without an alert channel, and posts the open incident once one is set', () => {
    let s = stateWith(['error_rate'], false);
    let out = step(s, runAt('x1', 0, { failed: 10 }), at(0));
    expect(out.actions).toEqual([]);
    expect(out.state.rules.error_rate?.incident?.number).toBe(1);
    s = applyAlertsChange(
      out.state,
      { kind: 'channel', channel: { id: 'C_NEW' } },
      { now: at(0.5), user: ADMIN, timeZone: 'UTC' },
    ).state;
    out = step(s, runAt('x2', 1, { failed: 10 }), at(1));
    expect(kinds(out.actions)).toEqual(['open:error_rate#1']);
    expect(out.state.rules.error_rate?.incident).toMatchObject({ channel: 'C_NEW', message_ts: 'ts-1' });
  });

  it('keeps a failed delivery owed: the open is retried at the next run, a resolve until it succeeds', () => {
    const s = stateWith(['success_rate']);
    const first = evaluateAlerts({ state: s, measurement: runAt('a', 0, { failed: 10 }), now: at(0) });
    const failed = recordDelivery(first.state, first.actions[0] as AlertAction, {
      ok: false,
      at: at(0),
      error: 'not_in_channel',
    });
    expect(failed.rules.success_rate?.delivery_error).toEqual({
      at: at(0).toISOString(),
      kind: 'open',
      incident: 1,
      error: 'not_in_channel',
    });
    expect(failed.rules.success_rate?.last_notification).toBeUndefined();

    let out = step(failed, runAt('b', 1, { failed: 10 }), at(1));
    expect(kinds(out.actions)).toEqual(['open:success_rate#1']);
    expect(out.state.rules.success_rate?.delivery_error).toBeUndefined();

    const resolving = evaluateAlerts({ state: out.state, measurement: runAt('c', 2), now: at(2) });
    expect(kinds(resolving.actions)).toEqual(['resolve:success_rate#1']);
    const lost = recordDelivery(resolving.state, resolving.actions[0] as AlertAction, {
      ok: false,
      at: at(2),
      error: 'network error: socket hang up',
    });
    expect(lost.history[0]?.resolve_pending).toBe(true);
    out = step(lost, runAt('d', 3), at(3));
    expect(kinds(out.actions)).toEqual(['resolve:success_rate#1']);
    expect(out.state.history[0]?.resolve_pending).toBeUndefined();
    expect(step(out.state, runAt('e', 4), at(4)).actions).toEqual([]);
  });

  it('counts a re-uploaded run once and skips runs older than the latest evaluated one', () => {
    let s = stateWith(['success_rate']);
    s = step(s, runAt('r1', 5, { failed: 10 }), at(5)).state;
    let out = step(s, runAt('r1', 5, { failed: 12 }), at(5.2));
    expect(kinds(out.actions)).toEqual(['update:success_rate#1']);
    expect(out.state.rules.success_rate?.incident).toMatchObject({ breaching_runs: 1, latest_value: 0.88 });
    out = step(out.state, runAt('old', 1, { failed: 50 }), at(6));
    expect(out.actions).toEqual([]);
    expect(out.state.last_skipped).toEqual({
      run_id: 'old',
      at: at(6).toISOString(),
      reason: 'it started before the latest evaluated run r1',
    });
    expect(out.state.rules.success_rate?.last_evaluation?.run_id).toBe('r1');
  });
});

describe('changes and buttons', () => {
  const ctx = { now: at(0), user: ADMIN, timeZone: 'UTC' };

  it('sets thresholds and recovery thresholds, refusing a recovery on the wrong side', () => {
    let s = emptyAlertState();
    s = applyAlertsChange(s, { kind: 'set', rule: 'success_rate', threshold: 0.9 }, ctx).state;
    expect(s.rules.success_rate).toMatchObject({ threshold: 0.9, recovery: 0.96, changed_by: ADMIN });
    const r = applyAlertsChange(s, { kind: 'set', rule: 'response_time', threshold: 3, recovery: 2.5 }, ctx);
    expect(r.summary).toBe('Average API response time now alerts above 3.00s and recovers at 2.50s.');
    let error: unknown;
    try {
      applyAlertsChange(s, { kind: 'set', rule: 'success_rate', threshold: 0.97 }, ctx);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, 'bad_command')).toBe(true);
    expect((error as Error).message).toContain('recover at 96.0%');
    expect((error as Error).message).toContain('`alerts set success_rate <threshold> recovery <value>`');
  });

  it('closes an open incident when its rule is turned off', () => {
    let s = stateWith(['error_rate']);
    s = step(s, runAt('a', 0, { failed: 10 }), at(0)).state;
    const r = applyAlertsChange(
      s,
      { kind: 'enable', rules: ['error_rate'], enabled: false },
      { ...ctx, now: at(1), user: 'U_OPS' },
    );
    expect(kinds(r.actions)).toEqual(['resolve:error_rate#1']);
    expect(r.actions[0]?.incident).toMatchObject({ resolution: 'turned_off', resolved_by: 'U_OPS' });
    expect(r.summary).toBe('Turned off: API error rate. Closed 1 open incident(s).');
    const next = evaluateAlerts({ state: r.state, measurement: runAt('b', 2, { failed: 50 }), now: at(2) });
    expect(next.actions.map((a) => a.kind)).toEqual(['resolve']); // the owed resolve, nothing new
    expect(next.state.rules.error_rate?.last_evaluation?.outcome).toBe('off');
  });

  it('records who acknowledged, once', () => {
    let s = stateWith(['success_rate']);
    s = step(s, runAt('a', 0, { failed: 10 }), at(0)).state;
    const first = acknowledgeIncident(
      s,
      { rule: 'success_rate', number: 1 },
      { now: at(0.5), user: 'U_ONCALL' },
    );
    expect(first.result.status).toBe('acked');
    expect(first.state.rules.success_rate?.incident).toMatchObject({
      acked_by: 'U_ONCALL',
      acked_at: at(0.5).toISOString(),
    });
    if (first.result.status === 'acked') expect(first.result.action?.kind).toBe('update');
    const again = acknowledgeIncident(
      first.state,
      { rule: 'success_rate', number: 1 },
      { now: at(1), user: 'U_OTHER' },
    );
    expect(again.result.status).toBe('already');
    expect(again.state.rules.success_rate?.incident?.acked_by).toBe('U_ONCALL');
    expect(
      acknowledgeIncident(s, { rule: 'success_rate', number: 7 }, { now: at(1), user: 'U' }).result.status,
    ).toBe('gone');
  });
});

describe('summaries', () => {
  it('formats durations', () => {
    expect(formatDuration(30_000)).toBe('<1m');
    expect(formatDuration(2 * HOUR + 10 * 60_000)).toBe('2h 10m');
    expect(formatDuration(27 * HOUR)).toBe('1d 3h');
  });

  it('counts incidents opened and resolved in a window for the digest', () => {
    let s = stateWith(['success_rate', 'error_rate']);
    // The error rate is the same failure as the success rate: it joins #1 rather than opening its own.
    s = step(s, runAt('a', 0, { failed: 10 }), at(0)).state; // opens #1
    s = step(s, runAt('b', 2, { failed: 0 }), at(2)).state; // resolves it
    s = step(s, runAt('c', 30, { failed: 10 }), at(30)).state; // opens #2
    const week = summarizeIncidents(s, { start: at(1), end: at(40) }, 'UTC');
    expect(week.opened).toBe(1);
    expect(week.resolved).toBe(1);
    // Opening times are Slack date tokens (each reader's zone), the workspace's time as fallback:
    // 2026-11-21 15:00 UTC is 1795273200 s, 2026-11-20 09:00 UTC is 1795165200 s.
    expect(week.lines).toEqual([
      '• #2 API success rate below 95.0%: opened <!date^1795273200^{date_short_pretty} at {time}|2026-11-21 15:00 UTC>, worst 90.0%, still open',
      '• #1 API success rate below 95.0%: opened <!date^1795165200^{date_short_pretty} at {time}|2026-11-20 09:00 UTC>, worst 90.0%, resolved after 2h',
    ]);
  });
});
