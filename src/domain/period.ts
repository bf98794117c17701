/** Dashboard periods: parsing the user's words and choosing the runs they cover. */
import { AppError } from '../errors.js';
import type { RunMeta } from './run-meta.js';
import { sortRunsNewestFirst } from './run-meta.js';
import { nextLocalDate, parseLocalDate, zonedTimeToUtc } from './time.js';

export type PeriodSpec =
  | { kind: 'rolling'; days: number }
  | { kind: 'all' }
  | { kind: 'last' }
  | { kind: 'range'; from: string; to: string }
  /** An exact window of instants (the digest's weeks); never typed by users. */
  | { kind: 'window'; start: string; end: string; label: string };

export const DEFAULT_PERIOD: PeriodSpec = { kind: 'rolling', days: 7 };
export const PERIOD_USAGE = '`7d` (default), `30d`, `90d`, `all`, `last` or `YYYY-MM-DD..YYYY-MM-DD`';

const DAY_MS = 86_400_000;

/** Parses a period word; throws `bad_command` with the accepted forms when it is not one. */
export function parsePeriod(text: string): PeriodSpec {
  const word = text.trim().toLowerCase();
  if (word === '' || word === '7d') return DEFAULT_PERIOD;
  if (word === '30d') return { kind: 'rolling', days: 30 };
  if (word === '90d') return { kind: 'rolling', days: 90 };
  if (word === 'all') return { kind: 'all' };
  if (word === 'last') return { kind: 'last' };
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(word);
  if (range) {
    const from = range[1] as string;
    const to = range[2] as string;
    if (!parseLocalDate(from) || !parseLocalDate(to)) {
      throw new AppError(
        'bad_command',
        `\`${text.trim()}\` is not a real date range. Periods: ${PERIOD_USAGE}.`,
      );
    }
    if (from > to) {
      throw new AppError('bad_command', `The range \`${text.trim()}\` ends before it starts.`);
    }
    return { kind: 'range', from, to };
  }
  throw new AppError('bad_command', `\`${text.trim()}\` is not a period. Periods: ${PERIOD_USAGE}.`);
}

export interface PeriodInfo {
  /** Canonical words for the period, e.g. `7d`, `2026-11-01..2026-11-07`. */
  key: string;
  /** For people, e.g. "Last 7 days". */
  label: string;
  /** ISO instants, inclusive start and exclusive end; null where open. */
  start: string | null;
  end: string | null;
  time_zone: string;
}

export interface PeriodSelection {
  period: PeriodInfo;
  current: RunMeta[];
  /** The period of equal length just before; null when there is none to compare with (`all`). */
  previous: { start: string | null; end: string | null; runs: RunMeta[] } | null;
}

function within(runs: readonly RunMeta[], start: number, end: number | null): RunMeta[] {
  return runs.filter((r) => {
    const t = Date.parse(r.started_at);
    return t >= start && (end === null || t < end);
  });
}

/** Picks the runs of the period and of the period before it, by `started_at`. */
export function selectPeriod(
  spec: PeriodSpec,
  runs: readonly RunMeta[],
  options: { now: Date; timeZone: string },
): PeriodSelection {
  const { now, timeZone } = options;
  const base = { time_zone: timeZone };
  switch (spec.kind) {
    case 'rolling': {
      const start = now.getTime() - spec.days * DAY_MS;
      const prevStart = start - spec.days * DAY_MS;
      return {
        // Open-ended: a run stamped a little ahead of this machine's clock still counts.
        period: {
          ...base,
          key: `${spec.days}d`,
          label: `Last ${spec.days} days`,
          start: iso(start),
          end: null,
        },
        current: within(runs, start, null),
        previous: { start: iso(prevStart), end: iso(start), runs: within(runs, prevStart, start) },
      };
    }
    case 'range': {
      const from = parseLocalDate(spec.from);
      const to = parseLocalDate(spec.to);
      if (!from || !to) throw new AppError('bad_command', `Not a date range: ${spec.from}..${spec.to}`);
      const start = zonedTimeToUtc(from, timeZone).getTime();
      const end = zonedTimeToUtc(nextLocalDate(to), timeZone).getTime();
      // The previous period is the same number of whole local days before (not the same
      // number of hours, which would start off midnight across a DST change).
      const days =
        Math.round(
          (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / DAY_MS,
        ) + 1;
      const prevFrom = new Date(Date.UTC(from.year, from.month - 1, from.day - days));
      const prevStart = zonedTimeToUtc(
        { year: prevFrom.getUTCFullYear(), month: prevFrom.getUTCMonth() + 1, day: prevFrom.getUTCDate() },
        timeZone,
      ).getTime();
      return {
        period: {
          ...base,
          key: `${spec.from}..${spec.to}`,
          label: spec.from === spec.to ? spec.from : `${spec.from} to ${spec.to}`,
          start: iso(start),
          end: iso(end),
        },
        current: within(runs, start, end),
        previous: { start: iso(prevStart), end: iso(start), runs: within(runs, prevStart, start) },
      };
    }
    case 'window': {
      const start = Date.parse(spec.start);
      const end = Date.parse(spec.end);
      const prevStart = start - (end - start);
      return {
        period: {
          ...base,
          key: `${spec.start}..${spec.end}`,
          label: spec.label,
          start: spec.start,
          end: spec.end,
        },
        current: within(runs, start, end),
        previous: { start: iso(prevStart), end: spec.start, runs: within(runs, prevStart, start) },
      };
    }
    case 'all':
      return {
        period: { ...base, key: 'all', label: 'All runs', start: null, end: null },
        current: [...runs],
        previous: null,
      };
    case 'last': {
      const [latest, before] = sortRunsNewestFirst(runs);
      return {
        period: {
          ...base,
          key: 'last',
          label: latest ? `Latest run ${latest.run_id}` : 'Latest run',
          start: latest ? latest.started_at : null,
          end: null,
        },
        current: latest ? [latest] : [],
        previous: {
          start: before ? before.started_at : null,
          end: latest ? latest.started_at : null,
          runs: before ? [before] : [],
        },
      };
    }
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
