/** The one module that imports node-cron: named schedules that can be replaced without a restart. */
import type { Logger } from '@slack/bolt';
import cron, { type ScheduledTask } from 'node-cron';
import type { CronFields } from './schedule.js';

/** node-cron's verdict on an expression: null when valid, else what is wrong. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6)
    return 'use 5 fields (minute hour day month weekday), or 6 with seconds first';
  const v = cron.validateDetailed(expression);
  if (!v.valid) return v.errors.map((e) => e.message).join('; ') || 'invalid';
  // A digest is a message to people: at most one a minute, whatever the seconds field says.
  if (cron.parse(expression).second.length > 1)
    return 'it would post more than once a minute; give seconds a single value';
  return null;
}

export function parseCronFields(expression: string): CronFields {
  const p = cron.parse(expression);
  const nums = (xs: Array<number | string>) => xs.map(Number).filter((n) => Number.isFinite(n));
  return {
    second: p.second,
    minute: p.minute,
    hour: p.hour,
    dayOfMonth: nums(p.dayOfMonth),
    month: p.month,
    dayOfWeek: nums(p.dayOfWeek).map((d) => d % 7),
  };
}

export interface Scheduler {
  /** Schedules (or reschedules) `key`; `fire` gets the instant the run was planned for. */
  set(key: string, expression: string, timeZone: string, fire: (plannedAt: Date) => Promise<void>): void;
  remove(key: string): void;
  keys(): string[];
  stopAll(): Promise<void>;
}

export function createScheduler(logger: Logger): Scheduler {
  const tasks = new Map<string, { task: ScheduledTask; signature: string }>();
  const remove = (key: string) => {
    const t = tasks.get(key);
    if (!t) return;
    void t.task.destroy();
    tasks.delete(key);
  };
  return {
    set(key, expression, timeZone, fire) {
      const signature = `${expression}|${timeZone}`;
      if (tasks.get(key)?.signature === signature) return;
      remove(key);
      const task = cron.schedule(
        expression,
        async (ctx) => {
          try {
            await fire(ctx.date);
          } catch (error) {
            logger.error(
              `Scheduled job ${key} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        },
        { name: key, timezone: timeZone, noOverlap: true, suppressMissedWarning: true },
      );
      tasks.set(key, { task, signature });
    },
    remove,
    keys: () => [...tasks.keys()],
    async stopAll() {
      for (const key of [...tasks.keys()]) remove(key);
    },
  };
}
