import { describe, expect, it } from 'vitest';
import { DEFAULT_PERIOD, PERIOD_USAGE, parsePeriod, selectPeriod } from '../../src/domain/period.js';
import type { RunMeta } from '../../src/domain/run-meta.js';
import { AppError } from '../../src/errors.js';
import { makeMeta, makeRun } from '../helpers/factories.js';

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

const meta = (run_id: string, started_at: string): RunMeta => makeMeta(makeRun({ run_id, started_at }));
const ids = (runs: readonly RunMeta[]) => runs.map((r) => r.run_id);

describe('parsePeriod', () => {
  it('reads the rolling, all and last words in any case and spacing', () => {
    expect(parsePeriod('')).toEqual({ kind: 'rolling', days: 7 });
    expect(parsePeriod('   ')).toEqual({ kind: 'rolling', days: 7 });
    expect(parsePeriod('7d')).toEqual({ kind: 'rolling', days: 7 });
    expect(parsePeriod(' 30D ')).toEqual({ kind: 'rolling', days: 30 });
    expect(parsePeriod('90d')).toEqual({ kind: 'rolling', days: 90 });
    expect(parsePeriod('ALL')).toEqual({ kind: 'all' });
    expect(parsePeriod('last')).toEqual({ kind: 'last' });
    expect(DEFAULT_PERIOD).toEqual({ kind: 'rolling', days: 7 });
  });

  it('reads a date range, including a single day', () => {
    expect(parsePeriod('2026-11-01..2026-11-07')).toEqual({
      kind: 'range',
      from: '2026-11-01',
      to: '2026-11-07',
    });
    expect(parsePeriod('2026-11-01..2026-11-01')).toEqual({
      kind: 'range',
      from: '2026-11-01',
      to: '2026-11-01',
    });
    expect(parsePeriod('2024-02-29..2024-03-01')).toEqual({
      kind: 'range',
      from: '2024-02-29',
      to: '2024-03-01',
    });
  });

  it('refuses a word that is not a period, listing the accepted forms', () => {
    for (const word of [
      '8d',
      '7days',
      'yesterday',
      '2026-11-01',
      '2026-11-01...2026-11-07',
      '2026-1-01..2026-11-07',
    ]) {
      const error = failure(() => parsePeriod(word));
      expect(error.code).toBe('bad_command');
      expect(error.message).toBe(`\`${word}\` is not a period. Periods: ${PERIOD_USAGE}.`);
    }
  });

  it('refuses a range with a date that does not exist', () => {
    const error = failure(() => parsePeriod('2026-02-30..2026-03-01'));
    expect(error.code).toBe('bad_command');
    expect(error.message).toBe(
      `\`2026-02-30..2026-03-01\` is not a real date range. Periods: ${PERIOD_USAGE}.`,
    );
    expect(failure(() => parsePeriod('2026-11-01..2026-13-01')).message).toContain(
      'is not a real date range',
    );
  });

  it('refuses a reversed range', () => {
    const error = failure(() => parsePeriod('2026-11-07..2026-11-01'));
    expect(error.code).toBe('bad_command');
    expect(error.message).toBe('The range `2026-11-07..2026-11-01` ends before it starts.');
  });
});

describe('selectPeriod: rolling', () => {
  const now = new Date('2026-11-24T12:00:00.000Z');
  const runs = [
    meta('future', '2026-11-25T00:00:00.000Z'),
    meta('at-start', '2026-11-17T12:00:00.000Z'),
    meta('just-before', '2026-11-17T11:59:59.999Z'),
    meta('prev-start', '2026-11-10T12:00:00.000Z'),
    meta('too-old', '2026-11-10T11:59:59.999Z'),
  ];

  it('takes the last N days up to now and beyond, and the N days before', () => {
    const sel = selectPeriod({ kind: 'rolling', days: 7 }, runs, { now, timeZone: 'Europe/Berlin' });
    expect(sel.period).toEqual({
      key: '7d',
      label: 'Last 7 days',
      start: '2026-11-17T12:00:00.000Z',
      end: null,
      time_zone: 'Europe/Berlin',
    });
    // Open-ended: a run stamped ahead of the clock still counts.
    expect(ids(sel.current)).toEqual(['future', 'at-start']);
    expect(sel.previous?.start).toBe('2026-11-10T12:00:00.000Z');
    expect(sel.previous?.end).toBe('2026-11-17T12:00:00.000Z');
    expect(ids(sel.previous?.runs ?? [])).toEqual(['just-before', 'prev-start']);
  });

  it('is measured in elapsed days whatever the time zone', () => {
    const sel = selectPeriod({ kind: 'rolling', days: 30 }, runs, { now, timeZone: 'America/New_York' });
    expect(sel.period.key).toBe('30d');
    expect(sel.period.label).toBe('Last 30 days');
    expect(sel.period.start).toBe('2026-10-25T12:00:00.000Z');
    expect(sel.previous?.start).toBe('2026-09-25T12:00:00.000Z');
    expect(ids(sel.current)).toEqual(ids(runs));
  });
});

describe('selectPeriod: range', () => {
  const now = new Date('2027-01-01T00:00:00.000Z');

  it('starts at local midnight in New York in winter (05:00Z)', () => {
    const runs = [
      meta('sunday-night', '2026-01-05T04:59:59.999Z'),
      meta('monday-midnight', '2026-01-05T05:00:00.000Z'),
      meta('last-minute', '2026-01-12T04:59:59.999Z'),
      meta('next-monday', '2026-01-12T05:00:00.000Z'),
      meta('prev-first', '2025-12-29T05:00:00.000Z'),
      meta('before-prev', '2025-12-29T04:59:59.999Z'),
    ];
    const sel = selectPeriod({ kind: 'range', from: '2026-01-05', to: '2026-01-11' }, runs, {
      now,
      timeZone: 'America/New_York',
    });
    expect(sel.period).toEqual({
      key: '2026-01-05..2026-01-11',
      label: '2026-01-05 to 2026-01-11',
      start: '2026-01-05T05:00:00.000Z',
      end: '2026-01-12T05:00:00.000Z',
      time_zone: 'America/New_York',
    });
    expect(ids(sel.current)).toEqual(['monday-midnight', 'last-minute']);
    expect(sel.previous).toEqual({
      start: '2025-12-29T05:00:00.000Z',
      end: '2026-01-05T05:00:00.000Z',
      runs: [runs[0], runs[4]],
    });
  });

  it('starts at local midnight in New York in summer (04:00Z), one day labelled by its date', () => {
    const runs = [meta('a', '2026-07-01T03:59:00.000Z'), meta('b', '2026-07-01T04:00:00.000Z')];
    const sel = selectPeriod({ kind: 'range', from: '2026-07-01', to: '2026-07-01' }, runs, {
      now,
      timeZone: 'America/New_York',
    });
    expect(sel.period).toEqual({
      key: '2026-07-01..2026-07-01',
      label: '2026-07-01',
      start: '2026-07-01T04:00:00.000Z',
      end: '2026-07-02T04:00:00.000Z',
      time_zone: 'America/New_York',
    });
    expect(ids(sel.current)).toEqual(['b']);
    expect(sel.previous?.start).toBe('2026-06-30T04:00:00.000Z');
    expect(ids(sel.previous?.runs ?? [])).toEqual(['a']);
  });

  it('is a 23-hour day on spring-forward and a 25-hour day on fall-back', () => {
    const spring = selectPeriod({ kind: 'range', from: '2026-03-08', to: '2026-03-08' }, [], {
      now,
      timeZone: 'America/New_York',
    });
    expect([spring.period.start, spring.period.end]).toEqual([
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
    ]);
    const fall = selectPeriod({ kind: 'range', from: '2026-10-25', to: '2026-10-25' }, [], {
      now,
      timeZone: 'Europe/Berlin',
    });
    expect([fall.period.start, fall.period.end]).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
  });

  it('uses UTC days in UTC and Berlin days in Berlin', () => {
    const spec = { kind: 'range', from: '2026-11-01', to: '2026-11-07' } as const;
    const inUtc = selectPeriod(spec, [], { now, timeZone: 'UTC' });
    expect([inUtc.period.start, inUtc.period.end]).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-11-08T00:00:00.000Z',
    ]);
    const inBerlin = selectPeriod(spec, [], { now, timeZone: 'Europe/Berlin' });
    expect([inBerlin.period.start, inBerlin.period.end]).toEqual([
      '2026-10-31T23:00:00.000Z',
      '2026-11-07T23:00:00.000Z',
    ]);
    // The previous period is the 7 whole local days before: it starts at local midnight on
    // 2026-10-25 (still summer time, +02:00), not 7 × 24 h earlier.
    expect(inBerlin.previous?.start).toBe('2026-10-24T22:00:00.000Z');
  });

  it('refuses an impossible range given directly', () => {
    const error = failure(() =>
      selectPeriod({ kind: 'range', from: '2026-02-30', to: '2026-03-01' }, [], { now, timeZone: 'UTC' }),
    );
    expect(error.code).toBe('bad_command');
  });
});

describe('selectPeriod: all and last', () => {
  const now = new Date('2026-11-24T12:00:00.000Z');
  const runs = [
    meta('b', '2026-11-02T00:00:00.000Z'),
    meta('a', '2026-11-01T00:00:00.000Z'),
    meta('c2', '2026-11-03T00:00:00.000Z'),
    meta('c1', '2026-11-03T00:00:00.000Z'),
  ];

  it('takes every run for all, with no previous period', () => {
    const sel = selectPeriod({ kind: 'all' }, runs, { now, timeZone: 'UTC' });
    expect(sel.period).toEqual({ key: 'all', label: 'All runs', start: null, end: null, time_zone: 'UTC' });
    expect(ids(sel.current)).toEqual(['b', 'a', 'c2', 'c1']);
    expect(sel.previous).toBeNull();
  });

  it('takes the latest run (ties by run id) and compares with the one before', () => {
    const sel = selectPeriod({ kind: 'last' }, runs, { now, timeZone: 'UTC' });
    expect(sel.period).toEqual({
      key: 'last',
      label: 'Latest run c2',
      start: '2026-11-03T00:00:00.000Z',
      end: null,
      time_zone: 'UTC',
    });
    expect(ids(sel.current)).toEqual(['c2']);
    expect(sel.previous).toEqual({
      start: '2026-11-03T00:00:00.000Z',
      end: '2026-11-03T00:00:00.000Z',
      runs: [runs[3]],
    });
  });

  it('has nothing to compare with for a single run, and nothing at all without runs', () => {
    const one = selectPeriod({ kind: 'last' }, [runs[1] as RunMeta], { now, timeZone: 'UTC' });
    expect(ids(one.current)).toEqual(['a']);
    expect(one.previous).toEqual({ start: null, end: '2026-11-01T00:00:00.000Z', runs: [] });
    const none = selectPeriod({ kind: 'last' }, [], { now, timeZone: 'UTC' });
    expect(none).toEqual({
      period: { key: 'last', label: 'Latest run', start: null, end: null, time_zone: 'UTC' },
      current: [],
      previous: { start: null, end: null, runs: [] },
    });
  });
});
