/**
 * ISO-8601 instants read by hand, without a general-purpose date parser: a run of 100,000 companies
 * carries tens of thousands of timestamps, and `Date.parse` or a regular expression plus `Date`
 * objects for each costs more than the rest of their field. Only the plain forms are read here; for
 * anything else these functions answer `undefined` and the caller takes its general path, so the
 * results are the same either way (test/domain/iso-instant.test.ts compares both on many forms).
 */

const MS_PER_DAY = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z: the years `toISOString` writes with four digits. */
const MIN_FOUR_DIGIT_MS = -62_167_219_200_000;
const END_FOUR_DIGIT_MS = 253_402_300_800_000;

/** The number `count` ASCII digits of `text` at `at` spell, or -1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48; // NaN past the end
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Epoch milliseconds of a valid date and time of day (UTC), or undefined when a part is out of range. */
function epochMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/**
 * Epoch milliseconds of `text` when it is exactly in the form `toISOString` writes
 * (`2026-11-23T09:00:00.160Z`) and a real instant; undefined otherwise (use `Date.parse` then).
 */
export function canonicalInstantMs(text: string): number | undefined {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 || // .
    text.charCodeAt(23) !== 90 // Z
  ) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const ms = digits(text, 20, 3);
  if ((year | month | day | hour | minute | second | ms) < 0) return undefined;
  return epochMs(year, month, day, hour, minute, second, ms);
}

/**
 * The canonical form (`toISOString`) of the plain ISO-8601 forms a run may carry, read by hand:
 * `YYYY-MM-DD`, optionally followed by `T` (or `t` or a space) and `HH:MM`, `HH:MM:SS` or
 * `HH:MM:SS.fff…` (a comma also marks the fraction; digits past milliseconds are dropped), then
 * optionally `Z`, `z`, `±HH`, `±HHMM` or `±HH:MM`. A date alone, or a time without an offset, is UTC.
 * Returns `text` itself when it is already canonical. Undefined for anything else, valid or not
 * (surrounding spaces, a space before the offset, an impossible date, a year that would leave four
 * digits): the caller's general path decides those.
 */
export function fastIsoInstant(text: string): string | undefined {
  if (canonicalInstantMs(text) !== undefined) return text;
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if ((year | month | day) < 0) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let offsetMinutes = 0;
  let i = 10;
  if (i < n) {
    const sep = text.charCodeAt(i);
    if ((sep !== 84 && sep !== 116 && sep !== 32) || i + 6 > n || text.charCodeAt(i + 3) !== 58)
      return undefined;
    hour = digits(text, i + 1, 2);
    minute = digits(text, i + 4, 2);
    if ((hour | minute) < 0) return undefined;
    i += 6;
    if (i < n && text.charCodeAt(i) === 58) {
      second = digits(text, i + 1, 2);
      if (second < 0 || i + 3 > n) return undefined;
      i += 3;
      const mark = text.charCodeAt(i);
      if (i < n && (mark === 46 || mark === 44)) {
        i += 1;
        const start = i;
        while (i < n) {
          const d = text.charCodeAt(i) - 48;
          if (d < 0 || d > 9) break;
          if (i - start < 3) ms = ms * 10 + d;
          i += 1;
        }
        if (i === start) return undefined;
        for (let k = i - start; k < 3; k++) ms *= 10;
      }
    }
    if (i < n) {
      const zone = text.charCodeAt(i);
      if ((zone === 90 || zone === 122) && i + 1 === n) {
        i += 1;
      } else if (zone === 43 || zone === 45) {
        const rest = n - i - 1;
        const oh = digits(text, i + 1, 2);
        let om = 0;
        if (rest === 4) om = digits(text, i + 3, 2);
        else if (rest === 5 && text.charCodeAt(i + 3) === 58) om = digits(text, i + 4, 2);
        else if (rest !== 2) return undefined;
        if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
        offsetMinutes = (zone === 45 ? -1 : 1) * (oh * 60 + om);
        i = n;
      } else {
        return undefined;
      }
    }
  }
  if (i !== n) return undefined;
  const local = epochMs(year, month, day, hour, minute, second, ms);
  if (local === undefined) return undefined;
  const utc = local - offsetMinutes * 60_000;
  if (utc < MIN_FOUR_DIGIT_MS || utc >= END_FOUR_DIGIT_MS) return undefined;
  return new Date(utc).toISOString();
}
