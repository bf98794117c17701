import { describe, expect, it } from 'vitest';
import { canonicalInstantMs, fastIsoInstant } from '../../src/domain/iso-instant.js';
import { generalIsoInstant, isoInstant } from '../../src/domain/parse-run/fields.js';

// The hand-written reader must agree with the general path (regex + Date) wherever it answers.
const DATES = [
  '2026-11-23',
  '2024-02-29',
  '2023-02-29',
  '2100-02-29',
  '2000-02-29',
  '2026-04-31',
  '2026-12-31',
  '2026-01-01',
  '2026-13-01',
  '2026-00-10',
  '2026-06-00',
  '0000-01-01',
  '0001-03-01',
  '0099-12-31',
  '1969-12-31',
  '1970-01-01',
  '9999-12-31',
];
const TIMES = [
  '',
  'T09:30',
  't09:30',
  ' 09:30',
  'T00:00:00',
  'T23:59:59',
  'T24:00:00',
  'T12:60:00',
  'T12:00:60',
  'T09:30:15.1',
  'T09:30:15.12',
  'T09:30:15.123',
  'T09:30:15.1239',
  'T09:30:15.999999999999',
  'T09:30:15,5',
  'T09:30:15.',
  'T09:30.5',
  'T9:30',
  'T09:3',
];
const ZONES = [
  '',
  'Z',
  'z',
  '+00:00',
  '-00:00',
  '+02:00',
  '-05:30',
  '+0530',
  '-0800',
  '+14',
  '-03',
  '+23:59',
  '+24:00',
  '+05:60',
  ' Z',
  '  +02:00',
  'Z ',
  '+2',
  '+02:0',
  'ZZ',
];

describe('fastIsoInstant', () => {
  const forms = [
    ...DATES.flatMap((d) =>
      TIMES.flatMap((t) => (t === '' ? [d, `${d}Z`] : ZONES.map((z) => `${d}${t}${z}`))),
    ),
    ' 2026-11-23T09:30:00Z',
    '2026-11-23T09:30:00Z ',
    '2026-11-23T09:30:00.000Z',
    '2026-11-23T09:30:00.000+00:00',
    '26-11-23',
    '2026-1-23',
    '2026/11/23',
    '2026-11-23T',
    '２０２６-11-23',
    '',
  ];

  it('answers exactly what the general path answers, or leaves the form to it', () => {
    // What the hand-written reader leaves to the general path although it is valid.
    const leftAlone = (form: string, general: string) =>
      /^\s|\s$|\d\s+[Zz+-]/.test(form) || !/^\d{4}-/.test(general);
    let answered = 0;
    let invalid = 0;
    for (const form of forms) {
      const fast = fastIsoInstant(form);
      const general = generalIsoInstant(form);
      if (fast !== undefined) {
        answered++;
        expect([form, fast]).toEqual([form, general]);
      } else if (general !== undefined) {
        expect([form, leftAlone(form, general)]).toEqual([form, true]);
      } else {
        invalid++;
      }
      expect([form, isoInstant(form)]).toEqual([form, general]);
    }
    expect(answered).toBeGreaterThan(1000);
    expect(invalid).toBeGreaterThan(1000);
  });

  it('reads offsets, fractions and a date alone by hand', () => {
    expect(fastIsoInstant('2026-11-23')).toBe('2026-11-23T00:00:00.000Z');
    expect(fastIsoInstant('2026-11-23T09:30')).toBe('2026-11-23T09:30:00.000Z');
    expect(fastIsoInstant('2026-11-23 09:30:15,5')).toBe('2026-11-23T09:30:15.500Z');
    expect(fastIsoInstant('2026-11-23T09:30:15.1239Z')).toBe('2026-11-23T09:30:15.123Z');
    expect(fastIsoInstant('2026-11-23T01:30:00+02:00')).toBe('2026-11-22T23:30:00.000Z');
    expect(fastIsoInstant('2026-12-31T20:00:00-0500')).toBe('2027-01-01T01:00:00.000Z');
    expect(fastIsoInstant('2024-02-29T23:59:59.999-00:01')).toBe('2024-03-01T00:00:59.999Z');
  });

  it('returns a canonical text itself, and leaves impossible or unusual forms to the general path', () => {
    const canonical = '2026-11-23T09:00:00.160Z';
    expect(fastIsoInstant(canonical)).toBe(canonical);
    expect(fastIsoInstant('2026-02-30')).toBeUndefined();
    expect(fastIsoInstant('2026-11-23T09:30 +02:00')).toBeUndefined();
    expect(generalIsoInstant('2026-11-23T09:30 +02:00')).toBe('2026-11-23T07:30:00.000Z');
    // A year the shift would move out of four digits: the general path writes it with six.
    expect(fastIsoInstant('0000-01-01T00:30:00+01:00')).toBeUndefined();
    expect(isoInstant('0000-01-01T00:30:00+01:00')).toBe('-000001-12-31T23:30:00.000Z');
  });
});

describe('canonicalInstantMs', () => {
  it('agrees with Date.parse on the canonical form over many instants', () => {
    // Every 7,919,999,999 ms from year 0 to 9999: all months, leap days, times of day and milliseconds.
    let count = 0;
    for (let t = -62_167_219_200_000; t < 253_402_300_800_000; t += 7_919_999_999) {
      const text = new Date(t).toISOString();
      expect(canonicalInstantMs(text)).toBe(t);
      count++;
    }
    expect(count).toBeGreaterThan(39_000);
  });

  it('answers nothing for another form or an impossible date', () => {
    for (const text of [
      '2026-11-23T09:00:00Z',
      '2026-11-23T09:00:00.000+00:00',
      '2026-02-29T09:00:00.000Z',
      '2026-11-23T24:00:00.000Z',
      '2026-11-23T09:00:00.00aZ',
      '+012026-11-23T09:00:00.000Z'.slice(0, 24),
    ]) {
      expect([text, canonicalInstantMs(text)]).toEqual([text, undefined]);
    }
  });
});
