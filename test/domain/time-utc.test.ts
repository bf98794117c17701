import { describe, expect, it } from 'vitest';
import { isValidTimeZone, zonedParts, zonedTimeToUtc } from '../../src/domain/time.js';

// UTC is read from the Date itself, without Intl; 'Etc/UTC' still goes through Intl, so the two must agree.
describe('zonedParts in UTC without Intl', () => {
  it('agrees with Intl over many instants from year 1000 to 9999', () => {
    let count = 0;
    for (let t = Date.UTC(1000, 0, 1); t < Date.UTC(10000, 0, 1); t += 3_600_000 * 24 * 37 + 3_723_456) {
      const instant = new Date(t);
      expect([instant.toISOString(), zonedParts(instant, 'UTC')]).toEqual([
        instant.toISOString(),
        zonedParts(instant, 'Etc/UTC'),
      ]);
      count++;
    }
    expect(count).toBeGreaterThan(80_000);
  });

  it('leaves other years and invalid dates to Intl, as before', () => {
    const early = new Date(Date.UTC(999, 11, 31, 23, 59, 59));
    expect(zonedParts(early, 'UTC')).toEqual(zonedParts(early, 'Etc/UTC'));
    expect(() => zonedParts(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });

  it('keeps UTC a valid zone and the local-time conversion unchanged', () => {
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 23, hour: 9, minute: 30 }, 'UTC').toISOString()).toBe(
      '2026-11-23T09:30:00.000Z',
    );
  });
});
