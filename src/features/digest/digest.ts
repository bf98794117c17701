/**
 * The weekly digest: its settings and grammar, and what it says. Pure: the two weeks arrive as
 * dashboard models (so the digest agrees with the dashboard figure for figure) plus the few
 * extras only the digest shows.
 */
import { z } from 'zod';
import { parseChannelMention } from '../../domain/command.js';
import type { DashboardModel, GroupAnalysis, Recommendation } from '../../domain/dashboard.js';
import { sparkline } from '../../domain/format.js';
import type { RunMeta } from '../../domain/run-meta.js';
import { isValidTimeZone } from '../../domain/time.js';
import { AppError } from '../../errors.js';
import { COMMAND } from '../../ids.js';
import { parseClock, WEEKDAY_NAMES } from './schedule.js';

export const DIGEST_DOC = 'digest';
export const DIGEST_CATCH_UP_MS = 24 * 3600_000;
const HISTORY_KEEP = 20;

export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('weekly'), day: z.number().int().min(0).max(6), time: z.string() }),
  z.object({ kind: z.literal('daily'), time: z.string() }),
  z.object({ kind: z.literal('cron'), expression: z.string() }),
]);
export type DigestSchedule = z.infer<typeof scheduleSchema>;

export const sendRecordSchema = z.object({
  /** Wall-clock identity of the scheduled send in the digest's zone, or `now:<iso>` for manual sends. */
  local: z.string(),
  intended_at: z.string(),
  status: z.enum(['posted', 'late', 'missed', 'failed', 'skipped']),
  at: z.string(),
  channel: z.string().optional(),
  ts: z.string().optional(),
  error: z.string().optional(),
});
export type SendRecord = z.infer<typeof sendRecordSchema>;

export const digestStateSchema = z.object({
  enabled: z.boolean(),
  channel: z.string().optional(),
  schedule: scheduleSchema,
  /** Absent: the workspace's time zone. */
  timezone: z.string().optional(),
  skip_empty: z.boolean(),
  /** When the schedule last changed: occurrences before it are never caught up. */
  schedule_since: z.string(),
  updated_by: z.string().optional(),
  /** Scheduled sends already handled (posted, late, missed or skipped), newest first. */
  history: z.array(sendRecordSchema),
  /** The last manual `digest now`, shown apart: it never consumes a scheduled send. */
  last_manual: sendRecordSchema.optional(),
});
export type DigestState = z.infer<typeof digestStateSchema>;

export const DEFAULT_SCHEDULE: DigestSchedule = { kind: 'weekly', day: 1, time: '09:00' };

export function defaultDigestState(now: Date): DigestState {
  return {
    enabled: true,
    schedule: DEFAULT_SCHEDULE,
    skip_empty: false,
    schedule_since: now.toISOString(),
    history: [],
  };
}

/** The cron expression node-cron runs for a schedule. */
export function cronExpressionOf(schedule: DigestSchedule): string {
  if (schedule.kind === 'cron') return schedule.expression;
  const clock = parseClock(schedule.time);
  if (!clock) throw new AppError('bad_command', `Not a time: ${schedule.time}`);
  return schedule.kind === 'daily'
    ? `${clock.minute} ${clock.hour} * * *`
    : `${clock.minute} ${clock.hour} * * ${schedule.day}`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Mondays 09:00 Europe/Berlin", "Daily 07:30 UTC", "cron `0 9 * * 1-5` America/New_York". */
export function describeSchedule(schedule: DigestSchedule, timeZone: string): string {
  switch (schedule.kind) {
    case 'weekly':
      return `${cap(WEEKDAY_NAMES[schedule.day] ?? '')}s ${schedule.time} ${timeZone}`;
    case 'daily':
      return `Daily ${schedule.time} ${timeZone}`;
    case 'cron':
      return `cron \`${schedule.expression}\` ${timeZone}`;
  }
}

export function recordSend(state: DigestState, record: SendRecord): DigestState {
  const history = [record, ...state.history.filter((r) => r.local !== record.local)].slice(0, HISTORY_KEEP);
  return { ...state, history };
}

/** Occurrences that must not be sent again: posted, late, missed or skipped (a failed one may be retried). */
export function handledSends(state: DigestState): Set<string> {
  return new Set(state.history.filter((r) => r.status !== 'failed').map((r) => r.local));
}

/** The help line: every form `parseDigestCommand` accepts. */
export const DIGEST_HELP = `\`${COMMAND} digest\`: the weekly digest's schedule, channel, next and last send · \`digest channel #channel\`, \`digest schedule monday 09:00 [Area/City]\` (or \`daily 07:30\`, or \`cron "0 9 * * 1-5"\`), \`digest off|on\`, \`digest now\`, \`digest preview\`, \`digest skip-empty on|off\`.`;

export const DIGEST_USAGE =
  '`digest` · `digest channel #channel` · `digest schedule <day> <HH:MM> [timezone]` · `digest schedule daily <HH:MM> [timezone]` · `digest schedule cron "<expression>" [timezone]` · `digest off` · `digest on` · `digest now` · `digest preview` · `digest skip-empty on|off`';

export type DigestCommand =
  | { kind: 'show' }
  | { kind: 'channel'; channel: string }
  | { kind: 'schedule'; schedule: DigestSchedule; timezone?: string }
  | { kind: 'off' }
  | { kind: 'on' }
  | { kind: 'now' }
  | { kind: 'preview' }
  | { kind: 'skip-empty'; on: boolean };

function bad(message: string): AppError {
  return new AppError('bad_command', `${message} Usage: ${DIGEST_USAGE}`);
}

/**
 * Parses the words after `digest`. `cronValid` checks an expression (node-cron lives at the
 * edge); it returns an error message or null.
 */
export function parseDigestCommand(text: string, cronValid: (expr: string) => string | null): DigestCommand {
  const normalised = text.replace(/[“”]/g, '"').trim();
  const [verbRaw, ...rest] = normalised.split(/\s+/).filter(Boolean);
  const verb = (verbRaw ?? '').toLowerCase();
  switch (verb) {
    case '':
      return { kind: 'show' };
    case 'channel': {
      const channel = rest.length === 1 ? parseChannelMention(rest[0] as string)?.id : undefined;
      if (!channel) throw bad('Name one channel, e.g. `digest channel #revops`.');
      return { kind: 'channel', channel };
    }
    case 'off':
    case 'on':
    case 'now':
    case 'preview':
      if (rest.length > 0) throw bad(`\`digest ${verb}\` takes nothing after it.`);
      return { kind: verb };
    case 'skip-empty': {
      const v = (rest[0] ?? '').toLowerCase();
      if (rest.length !== 1 || (v !== 'on' && v !== 'off')) throw bad('Say `digest skip-empty on` or `off`.');
      return { kind: 'skip-empty', on: v === 'on' };
    }
    case 'schedule':
      return parseScheduleWords(
        normalised.slice(normalised.toLowerCase().indexOf('schedule') + 'schedule'.length).trim(),
        cronValid,
      );
    default:
      throw bad(`I don't know \`digest ${verbRaw}\`.`);
  }
}

function zoneOrThrow(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  if (!isValidTimeZone(word))
    throw bad(`\`${word}\` is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).`);
  return word;
}

function parseScheduleWords(text: string, cronValid: (expr: string) => string | null): DigestCommand {
  const cron = /^cron\s+"([^"]+)"\s*(\S+)?\s*$/i.exec(text);
  if (cron) {
    const expression = (cron[1] as string).trim().replace(/\s+/g, ' ');
    const problem = cronValid(expression);
    if (problem) throw bad(`\`${expression}\` is not a valid cron expression: ${problem}.`);
    const timezone = zoneOrThrow(cron[2]);
    return { kind: 'schedule', schedule: { kind: 'cron', expression }, ...(timezone ? { timezone } : {}) };
  }
  if (/^cron\b/i.test(text))
    throw bad('Put the cron expression in double quotes, e.g. `digest schedule cron "0 9 * * 1-5"`.');
  const [first, clock, zone, ...extra] = text.split(/\s+/).filter(Boolean);
  if (!first || !clock || extra.length > 0)
    throw bad('Say when, e.g. `digest schedule monday 09:00 Europe/Berlin`.');
  const time = parseClock(clock);
  if (!time) throw bad(`\`${clock}\` is not a time: use HH:MM, 24-hour.`);
  const hhmm = `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
  const timezone = zoneOrThrow(zone);
  const day = first.toLowerCase();
  if (day === 'daily')
    return { kind: 'schedule', schedule: { kind: 'daily', time: hhmm }, ...(timezone ? { timezone } : {}) };
  const index = WEEKDAY_NAMES.findIndex((d) => d === day || d.slice(0, 3) === day || `${d}s` === day);
  if (index < 0) throw bad(`\`${first}\` is not a day: use monday … sunday or daily.`);
  return {
    kind: 'schedule',
    schedule: { kind: 'weekly', day: index, time: hhmm },
    ...(timezone ? { timezone } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Content

export interface Delta {
  name: string;
  current: number | null;
  previous: number | null;
  change: number | null;
  /** How to print it. */
  kind: 'count' | 'rate' | 'seconds' | 'percent';
  /** Whether up is good (for the arrow's colour in words), null when neither. */
  higher_is_better: boolean | null;
}

export interface Mover {
  name: string;
  current: number;
  previous: number;
  change: number;
}

export interface DigestModel {
  generated_at: string;
  time_zone: string;
  window: { start: string; end: string };
  previous_window: { start: string; end: string };
  /** When posted after its time (catch-up), the time it was meant for. */
  late_for: string | null;
  runs: number;
  quiet: boolean;
  last_run_at: string | null;
  deltas: Delta[];
  new_tier_1: {
    top: Array<{ name: string; icp_score: number | null; industry: string | null; country: string | null }>;
    total: number;
  };
  industry_movers: Mover[];
  geography_movers: Mover[];
  incidents: { opened: number; resolved: number; lines: string[] } | null;
  recommendations: Recommendation[];
  weekly_qualification: { weeks: Array<{ start: string; rate: number | null }>; chart: string };
}

function delta(
  name: string,
  current: number | null,
  previous: number | null,
  kind: Delta['kind'],
  higherIsBetter: boolean | null,
): Delta {
  return {
    name,
    current,
    previous,
    change: current === null || previous === null ? null : Math.round((current - previous) * 1e6) / 1e6,
    kind,
    higher_is_better: higherIsBetter,
  };
}

function movers(current: readonly GroupAnalysis[], previous: readonly GroupAnalysis[], limit = 3): Mover[] {
  const names = new Set([...current.map((g) => g.name), ...previous.map((g) => g.name)]);
  const countOf = (list: readonly GroupAnalysis[], n: string) => list.find((g) => g.name === n)?.count ?? 0;
  return [...names]
    .map((name) => {
      const c = countOf(current, name);
      const p = countOf(previous, name);
      return { name, current: c, previous: p, change: c - p };
    })
    .filter((m) => m.change !== 0)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.name.localeCompare(b.name))
    .slice(0, limit);
}

const WEEK_MS = 7 * 24 * 3600_000;

/** Qualification rate of each of the last `weeks` weeks ending at `end`, oldest first. */
export function weeklyQualification(
  runs: readonly RunMeta[],
  end: Date,
  weeks = 8,
): DigestModel['weekly_qualification'] {
  const out: Array<{ start: string; rate: number | null }> = [];
  for (let k = weeks - 1; k >= 0; k--) {
    const to = end.getTime() - k * WEEK_MS;
    const from = to - WEEK_MS;
    let companies = 0;
    let qualified = 0;
    for (const r of runs) {
      const t = Date.parse(r.started_at);
      if (t >= from && t < to) {
        companies += r.headline.companies;
        qualified += r.headline.qualified;
      }
    }
    out.push({
      start: new Date(from).toISOString(),
      rate: companies > 0 ? Math.round((qualified / companies) * 1e6) / 1e6 : null,
    });
  }
  return { weeks: out, chart: sparkline(out.flatMap((w) => (w.rate === null ? [] : [w.rate]))) };
}

/** Campaign figures, once campaigns are tracked (anything sent in either week). */
function campaignDeltas(current: DashboardModel, previous: DashboardModel): Delta[] {
  const c = current.campaign_performance;
  const p = previous.campaign_performance;
  if (c.totals.sent === 0 && p.totals.sent === 0) return [];
  return [
    delta('Response rate', c.response_rate, p.response_rate, 'rate', true),
    delta('Conversion rate', c.conversion_rate, p.conversion_rate, 'rate', true),
    delta('ROI', c.roi, p.roi, 'percent', true),
  ];
}

export function computeDigest(input: {
  current: DashboardModel;
  previous: DashboardModel;
  runs: readonly RunMeta[];
  newTier1: Array<{ name: string; icp_score?: number; industry?: string; country?: string }>;
  incidents: DigestModel['incidents'];
  generatedAt: Date;
  lateFor: Date | null;
  timeZone: string;
}): DigestModel {
  const { current, previous } = input;
  const cs = current.executive_summary;
  const ps = previous.executive_summary;
  const ca = current.search_performance;
  const pa = previous.search_performance;
  const sorted = [...input.newTier1].sort(
    (a, b) => (b.icp_score ?? -1) - (a.icp_score ?? -1) || a.name.localeCompare(b.name),
  );
  const lastRun = [...input.runs].sort((a, b) => b.started_at.localeCompare(a.started_at))[0];
  return {
    generated_at: input.generatedAt.toISOString(),
    time_zone: input.timeZone,
    window: { start: current.period.start ?? '', end: current.period.end ?? '' },
    previous_window: { start: previous.period.start ?? '', end: previous.period.end ?? '' },
    late_for: input.lateFor ? input.lateFor.toISOString() : null,
    runs: current.runs.count,
    quiet: current.runs.count === 0,
    last_run_at: lastRun ? lastRun.started_at : null,
    deltas: [
      delta('Discovered', cs.total_companies_discovered, ps.total_companies_discovered, 'count', true),
      delta('Qualified', cs.total_companies_qualified, ps.total_companies_qualified, 'count', true),
      delta('Qualification rate', cs.qualification_rate, ps.qualification_rate, 'rate', true),
      delta('Tier 1', cs.tier_1_targets, ps.tier_1_targets, 'count', true),
      delta('API success rate', ca.success_rate, pa.success_rate, 'rate', true),
      delta('Avg response time', ca.average_response_time, pa.average_response_time, 'seconds', false),
      delta('Credits used', ca.total_credits_used, pa.total_credits_used, 'count', null),
      ...campaignDeltas(current, previous),
    ],
    new_tier_1: {
      top: sorted.slice(0, 5).map((c) => ({
        name: c.name,
        icp_score: c.icp_score ?? null,
        industry: c.industry ?? null,
        country: c.country ?? null,
      })),
      total: sorted.length,
    },
    industry_movers: movers(
      current.qualification_analytics.industry_analysis,
      previous.qualification_analytics.industry_analysis,
    ),
    geography_movers: movers(
      current.qualification_analytics.geographic_analysis,
      previous.qualification_analytics.geographic_analysis,
    ),
    incidents: input.incidents,
    recommendations: current.recommendations.slice(0, 3),
    weekly_qualification: weeklyQualification(
      input.runs,
      new Date(current.period.end ?? input.generatedAt.toISOString()),
    ),
  };
}
