/**
 * When a scheduled digest is due, computed purely from cron fields and a time zone, so the
 * catch-up logic and DST behaviour can be tested with an injected clock. Semantics follow
 * node-cron (which fires the schedule): every field must match, and a local time that does not
 * exist (inside a spring-forward gap) does not fire that day.
 */
import { type ZonedParts, zonedParts, zonedTimeToUtc } from '../../domain/time.js';

/** The expanded fields of a cron expression (node-cron's `parse`). Weekday 0 = Sunday. */
export interface CronFields {
  second: number[];
  minute: number[];
  hour: number[];
  dayOfMonth: number[];
  month: number[];
  dayOfWeek: number[];
}

export interface Occurrence {
  /** The instant it fires. */
  at: Date;
  /** Wall-clock time in the zone, `YYYY-MM-DDTHH:MM:SS`: the identity of a scheduled send. */
  local: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function localKey(parts: Omit<ZonedParts, 'weekday'>): string {
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}T${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}`;
}

/** The scheduled occurrence a fire at `instant` stands for (its wall-clock second in the zone). */
export function occurrenceAt(instant: Date, timeZone: string): Occurrence {
  const at = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  return { at, local: localKey(zonedParts(at, timeZone)) };
}

function dayMatches(fields: CronFields, y: number, m: number, d: number): boolean {
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return (
    fields.month.includes(m) &&
    fields.dayOfMonth.includes(d) &&
    fields.dayOfWeek.map((w) => w % 7).includes(weekday)
  );
}

function occurrence(y: number, m: number, d: number, h: number, mi: number, s: number, tz: string) {
  const base = zonedTimeToUtc({ year: y, month: m, day: d, hour: h, minute: mi }, tz);
  const at = new Date(base.getTime() + s * 1000);
  const p = zonedParts(at, tz);
  // A wall time inside a DST gap maps elsewhere: node-cron does not fire it, so neither do we.
  if (p.year !== y || p.month !== m || p.day !== d || p.hour !== h || p.minute !== mi) return null;
  return { at, local: localKey({ year: y, month: m, day: d, hour: h, minute: mi, second: s }) };
}

function shiftDay(date: { year: number; month: number; day: number }, by: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + by));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const SEARCH_DAYS = 400;

/**
 * Walks the schedule's wall times day by day from `now`, backwards (-1) or forwards (1), and returns
 * the first real instant on the right side of `now`: at or before it going back, after it going on.
 */
function search(fields: CronFields, timeZone: string, now: Date, direction: 1 | -1): Occurrence | null {
  const today = zonedParts(now, timeZone);
  const order = (xs: readonly number[]) => [...xs].sort((a, b) => direction * (a - b));
  const hours = order(fields.hour);
  const minutes = order(fields.minute);
  const seconds = order(fields.second);
  const wanted = (at: Date) =>
    direction === 1 ? at.getTime() > now.getTime() : at.getTime() <= now.getTime();
  for (let step = 0; step <= SEARCH_DAYS; step++) {
    const { year, month, day } = shiftDay(today, direction * step);
    if (!dayMatches(fields, year, month, day)) continue;
    for (const h of hours) {
      // On today, skip the hours and minutes already on the wrong side of now.
      if (step === 0 && direction * (h - today.hour) < 0) continue;
      for (const mi of minutes) {
        if (step === 0 && h === today.hour && direction * (mi - today.minute) < 0) continue;
        for (const sec of seconds) {
          const occ = occurrence(year, month, day, h, mi, sec, timeZone);
          if (occ && wanted(occ.at)) return occ;
        }
      }
    }
  }
  return null;
}

/** The latest occurrence at or before `now`, or null if none within about a year. */
export function previousOccurrence(fields: CronFields, timeZone: string, now: Date): Occurrence | null {
  return search(fields, timeZone, now, -1);
}

/** The first occurrence strictly after `now`, or null if none within about a year. */
export function nextOccurrence(fields: CronFields, timeZone: string, now: Date): Occurrence | null {
  return search(fields, timeZone, now, 1);
}
export type CatchUpDecision =
  | { kind: 'none' }
  | { kind: 'late'; occurrence: Occurrence }
  | { kind: 'missed'; occurrence: Occurrence };

/**
 * At start-up: the latest occurrence that passed while the app was down is posted late when it
 * is within the window and not already sent; older ones are recorded as missed, never posted.
 */
export function decideCatchUp(options: {
  fields: CronFields;
  timeZone: string;
  now: Date;
  windowMs: number;
  /** Local keys of occurrences already posted or already recorded as missed. */
  handled: ReadonlySet<string>;
  /** Occurrences before this instant are not ours to catch up (e.g. before the schedule was set). */
  since: Date;
}): CatchUpDecision {
  const occ = previousOccurrence(options.fields, options.timeZone, options.now);
  if (!occ || occ.at.getTime() < options.since.getTime() || options.handled.has(occ.local))
    return { kind: 'none' };
  return options.now.getTime() - occ.at.getTime() <= options.windowMs
    ? { kind: 'late', occurrence: occ }
    : { kind: 'missed', occurrence: occ };
}

export const WEEKDAY_NAMES = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

/** `HH:MM` (24 h) → hour and minute, or null. */
export function parseClock(text: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}
