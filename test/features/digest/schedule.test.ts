import { describe, expect, it } from 'vitest';
import {
  type CronFields,
  decideCatchUp,
  nextOccurrence,
  occurrenceAt,
  previousOccurrence,
} from '../../../src/features/digest/schedule.js';

const ALL_DAYS = Array.from({ length: 31 }, (_, i) => i + 1);
const ALL_MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

function weekly(day: number, hour: number, minute: number): CronFields {
  return {
    second: [0],
    minute: [minute],
    hour: [hour],
    dayOfMonth: ALL_DAYS,
    month: ALL_MONTHS,
    dayOfWeek: [day],
  };
}

/** Every Monday 09:00 local from `start`, n weeks, by repeatedly asking for the next occurrence. */
function mondays(tz: string, start: string, n: number): string[] {
  const out: string[] = [];
  let now = new Date(start);
  for (let i = 0; i < n; i++) {
    const occ = nextOccurrence(weekly(1, 9, 0), tz, now);
    if (!occ) throw new Error('no occurrence');
    out.push(`${occ.local} ${occ.at.toISOString()}`);
    now = occ.at;
  }
  return out;
}

describe('weekly digest across daylight saving', () => {
  it('fires at 09:00 local every Monday in Europe/Berlin across both transitions', () => {
    // Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
    expect(mondays('Europe/Berlin', '2026-03-16T00:00:00Z', 4)).toEqual([
      '2026-03-16T09:00:00 2026-03-16T08:00:00.000Z',
      '2026-03-23T09:00:00 2026-03-23T08:00:00.000Z',
      '2026-03-30T09:00:00 2026-03-30T07:00:00.000Z',
      '2026-04-06T09:00:00 2026-04-06T07:00:00.000Z',
    ]);
    expect(mondays('Europe/Berlin', '2026-10-12T00:00:00Z', 3)).toEqual([
      '2026-10-12T09:00:00 2026-10-12T07:00:00.000Z',
      '2026-10-19T09:00:00 2026-10-19T07:00:00.000Z',
      '2026-10-26T09:00:00 2026-10-26T08:00:00.000Z',
    ]);
  });

  it('fires at 09:00 local every Monday in America/New_York across both transitions', () => {
    // New York springs forward on 2026-03-08 and falls back on 2026-11-01.
    expect(mondays('America/New_York', '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-03-02T09:00:00 2026-03-02T14:00:00.000Z',
      '2026-03-09T09:00:00 2026-03-09T13:00:00.000Z',
      '2026-03-16T09:00:00 2026-03-16T13:00:00.000Z',
    ]);
    expect(mondays('America/New_York', '2026-10-25T00:00:00Z', 3)).toEqual([
      '2026-10-26T09:00:00 2026-10-26T13:00:00.000Z',
      '2026-11-02T09:00:00 2026-11-02T14:00:00.000Z',
      '2026-11-09T09:00:00 2026-11-09T14:00:00.000Z',
    ]);
  });

  it('finds the previous occurrence, including exactly at the fire time', () => {
    const f = weekly(1, 9, 0);
    expect(previousOccurrence(f, 'Europe/Berlin', new Date('2026-11-30T08:00:00Z'))?.local).toBe(
      '2026-11-30T09:00:00',
    );
    expect(previousOccurrence(f, 'Europe/Berlin', new Date('2026-11-30T07:59:59Z'))?.local).toBe(
      '2026-11-23T09:00:00',
    );
  });

  it('skips a local time inside the spring-forward gap, as node-cron does', () => {
    const daily0230: CronFields = { ...weekly(0, 2, 30), dayOfWeek: [0, 1, 2, 3, 4, 5, 6] };
    const before = new Date('2026-03-28T12:00:00Z');
    const next = nextOccurrence(daily0230, 'Europe/Berlin', before);
    // 2026-03-29 02:30 does not exist in Berlin: the next one is on the 30th.
    expect(next?.local).toBe('2026-03-30T02:30:00');
  });

  it('names a fire by its wall-clock second, so a repeated fire maps to the same send', () => {
    expect(occurrenceAt(new Date('2026-11-30T08:00:00.450Z'), 'Europe/Berlin')).toEqual({
      at: new Date('2026-11-30T08:00:00.000Z'),
      local: '2026-11-30T09:00:00',
    });
  });
});

describe('catch-up after downtime', () => {
  const fields = weekly(1, 9, 0);
  const tz = 'Europe/Berlin';
  const since = new Date('2026-01-01T00:00:00Z');
  const day = 24 * 3600_000;

  it('posts a digest missed within the window once, marked late', () => {
    const now = new Date('2026-11-30T15:00:00Z');
    const d = decideCatchUp({ fields, timeZone: tz, now, windowMs: day, handled: new Set(), since });
    expect(d).toEqual({
      kind: 'late',
      occurrence: { at: new Date('2026-11-30T08:00:00Z'), local: '2026-11-30T09:00:00' },
    });
    const again = decideCatchUp({
      fields,
      timeZone: tz,
      now,
      windowMs: day,
      handled: new Set(['2026-11-30T09:00:00']),
      since,
    });
    expect(again).toEqual({ kind: 'none' });
  });

  it('records an older one as missed, not posted', () => {
    const now = new Date('2026-12-02T15:00:00Z');
    const d = decideCatchUp({ fields, timeZone: tz, now, windowMs: day, handled: new Set(), since });
    expect(d).toEqual({
      kind: 'missed',
      occurrence: { at: new Date('2026-11-30T08:00:00Z'), local: '2026-11-30T09:00:00' },
    });
  });

  it('does nothing for occurrences before the schedule existed', () => {
    const now = new Date('2026-11-30T15:00:00Z');
    const d = decideCatchUp({
      fields,
      timeZone: tz,
      now,
      windowMs: day,
      handled: new Set(),
      since: new Date('2026-11-30T12:00:00Z'),
    });
    expect(d).toEqual({ kind: 'none' });
  });
});
