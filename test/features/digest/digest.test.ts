import { describe, expect, it } from 'vitest';
import type { RunMeta } from '../../../src/domain/run-meta.js';
import { isAppError } from '../../../src/errors.js';
import { parseDigestCommand } from '../../../src/features/digest/grammar.js';
import { renderDigestMessage, renderDigestStatus } from '../../../src/features/digest/messages.js';
import {
  cronExpressionOf,
  defaultDigestState,
  describeSchedule,
  handledSends,
  recordSend,
} from '../../../src/features/digest/state.js';
import { computeDigest, weeklyQualification } from '../../../src/features/digest/summary.js';
import { dashboardOf, makeCompany, makeRun } from '../../helpers/factories.js';
import { messageSchema } from '../../helpers/slack-limits.js';

const ok = () => null;

describe('digest grammar', () => {
  it('parses every form', () => {
    expect(parseDigestCommand('', ok)).toEqual({ kind: 'show' });
    expect(parseDigestCommand('channel <#C0123ABC|rev-ops>', ok)).toEqual({
      kind: 'channel',
      channel: 'C0123ABC',
    });
    expect(parseDigestCommand('channel <#C0123ABC>', ok)).toEqual({ kind: 'channel', channel: 'C0123ABC' });
    expect(parseDigestCommand('schedule Monday 9:05 Europe/Berlin', ok)).toEqual({
      kind: 'schedule',
      schedule: { kind: 'weekly', day: 1, time: '09:05' },
      timezone: 'Europe/Berlin',
    });
    expect(parseDigestCommand('schedule fri 17:30', ok)).toEqual({
      kind: 'schedule',
      schedule: { kind: 'weekly', day: 5, time: '17:30' },
    });
    expect(parseDigestCommand('schedule daily 07:00 UTC', ok)).toEqual({
      kind: 'schedule',
      schedule: { kind: 'daily', time: '07:00' },
      timezone: 'UTC',
    });
    expect(parseDigestCommand('schedule cron “0 9 * * 1-5” America/New_York', ok)).toEqual({
      kind: 'schedule',
      schedule: { kind: 'cron', expression: '0 9 * * 1-5' },
      timezone: 'America/New_York',
    });
    expect(parseDigestCommand('off', ok)).toEqual({ kind: 'off' });
    expect(parseDigestCommand('now', ok)).toEqual({ kind: 'now' });
    expect(parseDigestCommand('preview', ok)).toEqual({ kind: 'preview' });
    expect(parseDigestCommand('skip-empty ON', ok)).toEqual({ kind: 'skip-empty', on: true });
  });

  it('rejects bad input with a clear message and the usage', () => {
    const cases: Array<[string, string]> = [
      ['schedule someday 09:00', '`someday` is not a day'],
      ['schedule monday 25:00', '`25:00` is not a time'],
      ['schedule monday 09:00 Europe/Atlantis', '`Europe/Atlantis` is not an IANA time zone'],
      ['schedule cron 0 9 * * 1', 'double quotes'],
      ['channel', 'Name one channel'],
      ['skip-empty maybe', 'skip-empty on'],
      ['weekly', "I don't know `digest weekly`"],
    ];
    for (const [text, expected] of cases) {
      try {
        parseDigestCommand(text, ok);
        expect.unreachable(text);
      } catch (error) {
        expect(isAppError(error, 'bad_command')).toBe(true);
        expect((error as Error).message).toContain(expected);
        expect((error as Error).message).toContain('Usage:');
      }
    }
    expect(() => parseDigestCommand('schedule cron "99 * * * *"', () => 'minute out of range')).toThrow(
      /not a valid cron expression: minute out of range/,
    );
  });

  it('describes schedules in words and turns them into cron expressions', () => {
    expect(describeSchedule({ kind: 'weekly', day: 1, time: '09:00' }, 'Europe/Berlin')).toBe(
      'Mondays 09:00 Europe/Berlin',
    );
    expect(describeSchedule({ kind: 'daily', time: '07:30' }, 'UTC')).toBe('Daily 07:30 UTC');
    expect(cronExpressionOf({ kind: 'weekly', day: 1, time: '09:00' })).toBe('0 9 * * 1');
    expect(cronExpressionOf({ kind: 'daily', time: '07:30' })).toBe('30 7 * * *');
  });

  it('keeps failed sends retryable and everything else handled', () => {
    let state = defaultDigestState(new Date('2026-11-01T00:00:00Z'));
    const base = { intended_at: '2026-11-02T08:00:00.000Z', at: '2026-11-02T08:00:01.000Z' };
    state = recordSend(state, { ...base, local: 'a', status: 'failed', error: 'x' });
    state = recordSend(state, { ...base, local: 'b', status: 'posted' });
    state = recordSend(state, { ...base, local: 'c', status: 'missed' });
    expect([...handledSends(state)].sort()).toEqual(['b', 'c']);
    // A later success for the same occurrence replaces its failure.
    state = recordSend(state, { ...base, local: 'a', status: 'late' });
    expect(state.history.map((r) => `${r.local}:${r.status}`)).toEqual(['a:late', 'c:missed', 'b:posted']);
  });
});

function meta(id: string, at: string, companies: number, qualified: number): RunMeta {
  return {
    run_id: id,
    started_at: at,
    uploaded_at: at,
    source: 'api',
    headline: { companies, qualified, tier_1: 0, api_total: 0, api_successful: 0, api_rt_sum: 0, credits: 0 },
  };
}

const thisWeek = {
  period: {
    key: 'w',
    label: 'This week',
    start: '2026-11-23T08:00:00.000Z',
    end: '2026-11-30T08:00:00.000Z',
    time_zone: 'UTC',
  },
};
const weekBefore = {
  period: {
    key: 'p',
    label: 'Week before',
    start: '2026-11-16T08:00:00.000Z',
    end: '2026-11-23T08:00:00.000Z',
    time_zone: 'UTC',
  },
};

describe('digest content', () => {
  it('measures each of the last 8 weeks', () => {
    const end = new Date('2026-11-30T08:00:00Z');
    const runs = [
      meta('a', '2026-11-29T08:00:00Z', 10, 2), // this week: 20 %
      meta('b', '2026-11-24T08:00:00Z', 10, 3), // this week too → 5 / 20 = 25 %
      meta('c', '2026-11-20T08:00:00Z', 4, 1), // the week before: 25 %
      meta('d', '2026-10-01T08:00:00Z', 10, 10), // 9 weeks back: outside
    ];
    const wq = weeklyQualification(runs, end);
    expect(wq.weeks.map((w) => w.rate)).toEqual([null, null, null, null, null, null, 0.25, 0.25]);
    expect(wq.weeks[7]?.start).toBe('2026-11-23T08:00:00.000Z');
    expect(wq.chart).toBe('▄▄');
  });

  it('leads with what changed, lists new Tier 1 companies and the movers, within Slack limits', () => {
    const tier1 = (name: string, score: number) =>
      makeCompany({ name, tier: 'Tier 1', icp_score: score, industry: 'Software' });
    const current = dashboardOf(
      [
        makeRun({
          run_id: 'now',
          started_at: '2026-11-28T09:00:00.000Z',
          companies: [
            tier1('<b>Bold</b> & Co', 97),
            ...Array.from({ length: 6 }, (_, i) => tier1(`T1-${i}`, 90 - i)),
            makeCompany({ name: 'R', industry: 'Retail', country: 'France' }),
          ],
        }),
      ],
      thisWeek,
    );
    const previous = dashboardOf([
      makeRun({
        run_id: 'before',
        started_at: '2026-11-20T09:00:00.000Z',
        companies: [
          makeCompany({ name: 'X', industry: 'Retail', country: 'France' }),
          makeCompany({ name: 'Y', industry: 'Retail' }),
        ],
      }),
    ]);
    const model = computeDigest({
      current,
      previous,
      runs: [],
      newTier1: [
        tier1('<b>Bold</b> & Co', 97),
        ...Array.from({ length: 6 }, (_, i) => tier1(`T1-${i}`, 90 - i)),
      ],
      incidents: { opened: 2, resolved: 1, lines: ['• success rate below 95%'] },
      generatedAt: new Date('2026-11-30T08:00:00Z'),
      lateFor: null,
      timeZone: 'UTC',
    });
    expect(model.deltas.slice(0, 4)).toEqual([
      { name: 'Discovered', current: 8, previous: 2, change: 6, kind: 'count', higher_is_better: true },
      { name: 'Qualified', current: 7, previous: 0, change: 7, kind: 'count', higher_is_better: true },
      {
        name: 'Qualification rate',
        current: 0.875,
        previous: 0,
        change: 0.875,
        kind: 'rate',
        higher_is_better: true,
      },
      { name: 'Tier 1', current: 7, previous: 0, change: 7, kind: 'count', higher_is_better: true },
    ]);
    expect(model.new_tier_1.total).toBe(7);
    expect(model.new_tier_1.top.map((c) => c.name)).toEqual([
      '<b>Bold</b> & Co',
      'T1-0',
      'T1-1',
      'T1-2',
      'T1-3',
    ]);
    expect(model.industry_movers).toEqual([
      { name: 'Software', current: 7, previous: 0, change: 7 },
      { name: 'Retail', current: 1, previous: 2, change: -1 },
    ]);
    const msg = renderDigestMessage(model);
    expect(messageSchema.safeParse(msg).success).toBe(true);
    const text = JSON.stringify(msg);
    expect(text).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; Co');
    expect(text).toContain('…and 2 more');
    expect(text).toContain('2 incidents opened, 1 resolved this week');
    expect(msg.text).toContain('Discovered 8 (↑ +6 better)');
  });

  it('says a quiet week had no data and when the last run was', () => {
    const model = computeDigest({
      current: dashboardOf([], thisWeek),
      previous: dashboardOf([], weekBefore),
      runs: [meta('old', '2026-10-01T08:00:00Z', 1, 1)],
      newTier1: [],
      incidents: null,
      generatedAt: new Date('2026-11-30T08:00:00Z'),
      lateFor: new Date('2026-11-30T08:00:00Z'),
      timeZone: 'Europe/Berlin',
    });
    expect(model.quiet).toBe(true);
    const msg = renderDigestMessage(model);
    expect(messageSchema.safeParse(msg).success).toBe(true);
    const text = JSON.stringify(msg);
    expect(text).toContain('No runs this week');
    // Times are Slack date tokens with the workspace's wall clock as fallback: the last run
    // (2026-10-01 08:00 UTC = 1790841600 s) and the time it was due (2026-11-30 08:00 UTC = 1796025600 s).
    expect(text).toContain(
      'The last run started <!date^1790841600^{date_short_pretty} at {time}|2026-10-01 10:00 Europe/Berlin>',
    );
    expect(text).toContain(
      'Posted late: it was due <!date^1796025600^{date_short_pretty} at {time}|2026-11-30 09:00 Europe/Berlin>',
    );
    // The header stays plain text (Slack does not render tokens there); the notification text too.
    expect(msg.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Apollo weekly digest · 2026-11-23 to 2026-11-30' },
    });
    expect(msg.text).not.toContain('<!date');
  });

  it('shows the schedule, next and last send in the status view', () => {
    const state = recordSend(
      { ...defaultDigestState(new Date('2026-11-01T00:00:00Z')), channel: 'C1', timezone: 'Europe/Berlin' },
      {
        local: '2026-11-30T09:00:00',
        intended_at: '2026-11-30T08:00:00.000Z',
        at: '2026-11-30T08:00:02.000Z',
        status: 'posted',
        channel: 'C1',
      },
    );
    const msg = renderDigestStatus({
      state,
      timeZone: 'Europe/Berlin',
      next: new Date('2026-12-07T08:00:00Z'),
    });
    expect(messageSchema.safeParse(msg).success).toBe(true);
    const text = JSON.stringify(msg);
    expect(text).toContain('Mondays 09:00 Europe/Berlin');
    expect(text).toContain('*Next send*: 2026-12-07 09:00');
    expect(text).toContain('posted to <#C1> for 2026-11-30 09:00');
  });
});
