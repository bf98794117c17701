/** The weekly digest's stored settings and send history, and how its schedule reads. */
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { parseClock, WEEKDAY_NAMES } from './schedule.js';

export const DIGEST_DOC = 'digest';
export const DIGEST_CATCH_UP_MS = 24 * 3600_000;
export const HISTORY_KEEP = 20;

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

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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
