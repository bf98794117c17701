import { describe, expect, it } from 'vitest';
import {
  formatLocalDate,
  formatLocalDateTime,
  isValidTimeZone,
  nextLocalDate,
  parseLocalDate,
  zonedParts,
  zonedTimeToUtc,
  zoneOffsetMs,
} from '../../src/domain/time.js';

const HOUR = 3_600_000;
const utc = (
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour?: number,
  minute?: number,
): string => zonedTimeToUtc({ year, month, day, hour, minute }, timeZone).toISOString();

describe('zonedTimeToUtc', () => {
  it('is the identity in UTC', () => {
    expect(utc('UTC', 2026, 11, 24, 13, 45)).toBe('2026-11-24T13:45:00.000Z');
    expect(utc('UTC', 2026, 1, 1)).toBe('2026-01-01T00:00:00.000Z');
  });

  it('handles fixed and half-hour offsets', () => {
    expect(utc('Asia/Kolkata', 2026, 1, 1)).toBe('2025-12-31T18:30:00.000Z');
    expect(utc('Asia/Tokyo', 2026, 7, 1, 9)).toBe('2026-07-01T00:00:00.000Z');
  });

  describe('Europe/Berlin (CET +1, CEST +2; changes at 01:00Z)', () => {
    it('uses +1 in winter and +2 in summer', () => {
      expect(utc('Europe/Berlin', 2026, 1, 15)).toBe('2026-01-14T23:00:00.000Z');
      expect(utc('Europe/Berlin', 2026, 7, 15)).toBe('2026-07-14T22:00:00.000Z');
    });

    it('crosses spring-forward on 2026-03-29 (02:00 → 03:00)', () => {
      expect(utc('Europe/Berlin', 2026, 3, 29)).toBe('2026-03-28T23:00:00.000Z');
      expect(utc('Europe/Berlin', 2026, 3, 29, 1, 59)).toBe('2026-03-29T00:59:00.000Z');
      expect(utc('Europe/Berlin', 2026, 3, 29, 3)).toBe('2026-03-29T01:00:00.000Z');
      expect(utc('Europe/Berlin', 2026, 3, 30)).toBe('2026-03-29T22:00:00.000Z');
    });

    it('resolves a time inside the spring-forward gap to an instant after the gap', () => {
      // 02:30 does not exist; it is read with the winter offset, i.e. 03:30 CEST.
      const instant = zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin');
      expect(instant.toISOString()).toBe('2026-03-29T01:30:00.000Z');
      expect(instant.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-03-29T01:00:00.000Z'));
      expect(formatLocalDateTime(instant, 'Europe/Berlin')).toBe('2026-03-29 03:30');
    });

    it('crosses fall-back on 2026-10-25 (03:00 → 02:00)', () => {
      expect(utc('Europe/Berlin', 2026, 10, 25)).toBe('2026-10-24T22:00:00.000Z');
      expect(utc('Europe/Berlin', 2026, 10, 25, 1, 59)).toBe('2026-10-24T23:59:00.000Z');
      expect(utc('Europe/Berlin', 2026, 10, 25, 4)).toBe('2026-10-25T03:00:00.000Z');
      expect(utc('Europe/Berlin', 2026, 10, 26)).toBe('2026-10-25T23:00:00.000Z');
    });

    it('maps an ambiguous fall-back time to one of its two instants', () => {
      const instant = zonedTimeToUtc(
        { year: 2026, month: 10, day: 25, hour: 2, minute: 30 },
        'Europe/Berlin',
      );
      expect(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']).toContain(instant.toISOString());
      expect(formatLocalDateTime(instant, 'Europe/Berlin')).toBe('2026-10-25 02:30');
    });
  });

  describe('America/New_York (EST −5, EDT −4; changes at 02:00 local)', () => {
    it('starts a winter day at 05:00Z and a summer day at 04:00Z', () => {
      expect(utc('America/New_York', 2026, 1, 5)).toBe('2026-01-05T05:00:00.000Z');
      expect(utc('America/New_York', 2026, 7, 1)).toBe('2026-07-01T04:00:00.000Z');
    });

    it('crosses spring-forward on 2026-03-08', () => {
      expect(utc('America/New_York', 2026, 3, 8)).toBe('2026-03-08T05:00:00.000Z');
      expect(utc('America/New_York', 2026, 3, 8, 3)).toBe('2026-03-08T07:00:00.000Z');
      expect(utc('America/New_York', 2026, 3, 9)).toBe('2026-03-09T04:00:00.000Z');
    });

    it('resolves 02:30 inside the gap to 03:30 EDT', () => {
      const instant = zonedTimeToUtc(
        { year: 2026, month: 3, day: 8, hour: 2, minute: 30 },
        'America/New_York',
      );
      expect(instant.toISOString()).toBe('2026-03-08T07:30:00.000Z');
      expect(formatLocalDateTime(instant, 'America/New_York')).toBe('2026-03-08 03:30');
    });

    it('crosses fall-back on 2026-11-01', () => {
      expect(utc('America/New_York', 2026, 11, 1)).toBe('2026-11-01T04:00:00.000Z');
      expect(utc('America/New_York', 2026, 11, 1, 3)).toBe('2026-11-01T08:00:00.000Z');
      expect(utc('America/New_York', 2026, 11, 2)).toBe('2026-11-02T05:00:00.000Z');
      const ambiguous = zonedTimeToUtc(
        { year: 2026, month: 11, day: 1, hour: 1, minute: 30 },
        'America/New_York',
      );
      expect(['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']).toContain(ambiguous.toISOString());
      expect(formatLocalDateTime(ambiguous, 'America/New_York')).toBe('2026-11-01 01:30');
    });
  });

  it('starts a day whose midnight falls in the gap at the end of the gap (America/Santiago)', () => {
    // Chile springs forward at 2026-09-06T04:00Z: 00:00 −04 becomes 01:00 −03.
    expect(utc('America/Santiago', 2026, 9, 5)).toBe('2026-09-05T04:00:00.000Z');
    expect(utc('America/Santiago', 2026, 9, 6)).toBe('2026-09-06T04:00:00.000Z');
    expect(utc('America/Santiago', 2026, 9, 7)).toBe('2026-09-07T03:00:00.000Z');
  });
});

describe('zoneOffsetMs and zonedParts', () => {
  it('gives the offset east of Greenwich, including across a change', () => {
    expect(zoneOffsetMs(Date.parse('2026-03-29T00:59:59.999Z'), 'Europe/Berlin')).toBe(HOUR);
    expect(zoneOffsetMs(Date.parse('2026-03-29T01:00:00.000Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(zoneOffsetMs(Date.parse('2026-01-01T12:00:00.000Z'), 'America/New_York')).toBe(-5 * HOUR);
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00.000Z'), 'America/New_York')).toBe(-4 * HOUR);
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00.000Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00.000Z'), 'UTC')).toBe(0);
  });

  it('reads the wall clock and weekday in a zone, with midnight as hour 0', () => {
    // 2026-11-24 is a Tuesday; at 04:30Z it is still Monday evening in New York.
    expect(zonedParts(new Date('2026-11-24T04:30:15.000Z'), 'America/New_York')).toEqual({
      year: 2026,
      month: 11,
      day: 23,
      hour: 23,
      minute: 30,
      second: 15,
      weekday: 1,
    });
    expect(zonedParts(new Date('2026-11-23T23:00:00.000Z'), 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 11,
      day: 24,
      hour: 0,
      minute: 0,
      second: 0,
      weekday: 2,
    });
  });

  it('formats local dates and times', () => {
    const instant = new Date('2026-12-31T23:30:00.000Z');
    expect(formatLocalDate(instant, 'UTC')).toBe('2026-12-31');
    expect(formatLocalDate(instant, 'Europe/Berlin')).toBe('2027-01-01');
    expect(formatLocalDateTime(instant, 'Europe/Berlin')).toBe('2027-01-01 00:30');
    expect(formatLocalDateTime(instant, 'America/New_York')).toBe('2026-12-31 18:30');
  });
});

describe('calendar dates', () => {
  it('parses real dates only', () => {
    expect(parseLocalDate('2026-11-24')).toEqual({ year: 2026, month: 11, day: 24 });
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate('2026-02-29')).toBeNull();
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(parseLocalDate('2026-04-31')).toBeNull();
    expect(parseLocalDate('2026-13-01')).toBeNull();
    expect(parseLocalDate('2026-00-10')).toBeNull();
    expect(parseLocalDate('2026-1-01')).toBeNull();
    expect(parseLocalDate('2026-11-24T00:00')).toBeNull();
    expect(parseLocalDate('')).toBeNull();
  });

  it('steps to the next date across months, years and leap days', () => {
    expect(nextLocalDate({ year: 2026, month: 11, day: 24 })).toEqual({ year: 2026, month: 11, day: 25 });
    expect(nextLocalDate({ year: 2026, month: 2, day: 28 })).toEqual({ year: 2026, month: 3, day: 1 });
    expect(nextLocalDate({ year: 2028, month: 2, day: 28 })).toEqual({ year: 2028, month: 2, day: 29 });
    expect(nextLocalDate({ year: 2026, month: 12, day: 31 })).toEqual({ year: 2027, month: 1, day: 1 });
  });

  it('knows IANA zones from made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
