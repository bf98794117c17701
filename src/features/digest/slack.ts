/** The Monday digest: `digest …` settings, the node-cron schedule per workspace, catch-up, and its button. */

import type { App, BlockButtonAction } from '@slack/bolt';
import { renderFailure } from '../../blocks/help.js';
import { message, section } from '../../blocks/kit.js';
import { parsePeriod } from '../../domain/period.js';
import { AppError } from '../../errors.js';
import { ACTIONS } from '../../ids.js';
import { type DashboardNotes, dashboardMessage } from '../../slack/dashboard-message.js';
import { withSlowNotice } from '../../slack/delivery.js';
import { type Deps, type EdgeContext, requireAdmin } from '../../slack/deps.js';
import { describeError, SLACK_SLOW } from '../../slack/errors.js';
import { teamOf } from '../../slack/payload.js';
import { ephemeral, reportFailure } from '../../slack/reply.js';
import type { Subcommand } from '../../slack/router.js';
import { createScheduler, cronProblem, parseCronFields, type Scheduler } from './cron.js';
import { parseDigestCommand } from './grammar.js';
import {
  buildDigest,
  catchUpDigest,
  type DigestContext,
  digestTimeZone,
  type IncidentsSource,
  loadDigestState,
  occurrenceOfFire,
  sendDigestNow,
  sendScheduledDigest,
} from './job.js';
import { renderDigestStatus } from './messages.js';
import { nextOccurrence } from './schedule.js';
import {
  cronExpressionOf,
  DIGEST_DOC,
  type DigestState,
  defaultDigestState,
  digestStateSchema,
} from './state.js';

/** What the app wires: the subcommand, the digest's button, the schedule's life cycle. */
export interface Digest {
  subcommand: Subcommand;
  register(app: App): void;
  /** Puts the workspace's schedule in node-cron as stored now (e.g. after its time zone changed). */
  reschedule(team: string): Promise<void>;
  /** Catches up a send missed while down, then schedules every workspace. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How often every workspace's stored schedule is read again, so a change made on another replica is followed. */
export const DIGEST_RESYNC_MS = 30_000;

export function createDigest(
  ctx: EdgeContext,
  options: { incidents: IncidentsSource; notes: DashboardNotes; resyncMs?: number },
): Digest {
  let scheduler: Scheduler | undefined;
  let resync: NodeJS.Timeout | undefined;
  let resyncing: Promise<void> | undefined;

  /** Puts every workspace's stored schedule in node-cron (a change on another replica included). */
  async function rescheduleAll(): Promise<void> {
    for (const team of await ctx.deps.store.listWorkspaces()) {
      try {
        await reschedule(team);
      } catch (error) {
        ctx.deps.logger.error(`Digest schedule refresh for ${team}: ${describeError(error)}`);
      }
    }
  }

  const digestContext = (c: EdgeContext): DigestContext => ({
    deps: c.deps,
    slack: c.slackFor,
    incidents: options.incidents,
  });

  /** Puts the workspace's schedule in node-cron as stored now (or removes it). */
  async function reschedule(team: string): Promise<void> {
    if (!scheduler) return;
    const state = await loadDigestState(ctx.deps, team);
    // Not installed (or uninstalled): nothing is scheduled for the workspace.
    if (!state?.enabled || !state.channel || (await ctx.botTokenFor(team)) === null) {
      scheduler.remove(team);
      return;
    }
    const tz = await digestTimeZone(ctx.deps, team, state);
    scheduler.set(team, cronExpressionOf(state.schedule), tz, async (plannedAt) => {
      await sendScheduledDigest(digestContext(ctx), team, occurrenceOfFire(plannedAt, tz), { late: false });
    });
  }

  async function status(deps: Deps, team: string, state: DigestState | undefined) {
    const effective = state ?? defaultDigestState(deps.now());
    const tz = await digestTimeZone(deps, team, effective);
    const next = nextOccurrence(parseCronFields(cronExpressionOf(effective.schedule)), tz, deps.now());
    return renderDigestStatus({ state: effective, timeZone: tz, next: next?.at ?? null });
  }

  return {
    subcommand: {
      name: 'digest',
      async handle(c) {
        const cmd = parseDigestCommand(c.args.join(' '), cronProblem);
        const { deps, team, user } = c;
        if (cmd.kind !== 'show' && cmd.kind !== 'preview') requireAdmin(deps.config, user);
        await c.ack();
        switch (cmd.kind) {
          case 'show': {
            await c.respond(ephemeral(await status(deps, team, await loadDigestState(deps, team))));
            return;
          }
          case 'preview': {
            const state = await loadDigestState(deps, team);
            const tz = await digestTimeZone(deps, team, state);
            const { message: m } = await buildDigest(digestContext(ctx), team, {
              end: deps.now(),
              lateFor: null,
              timeZone: tz,
            });
            await c.respond(ephemeral(m));
            return;
          }
          case 'now': {
            const state = await loadDigestState(deps, team);
            if (!state?.channel)
              throw new AppError('not_found', 'Set the digest channel first: `digest channel #channel`.');
            const rec = await withSlowNotice(sendDigestNow(digestContext(ctx), team), {
              afterMs: c.slack.policy.slowNoticeMs,
              notify: async () => {
                await c.respond(ephemeral(SLACK_SLOW));
              },
            });
            await c.respond(
              ephemeral(
                rec.status === 'posted'
                  ? message('Digest posted.', [
                      section(`:white_check_mark: Digest for the week so far posted to <#${state.channel}>.`),
                    ])
                  : renderFailure('The digest was not posted.', rec.error),
              ),
            );
            return;
          }
          default: {
            const now = deps.now();
            const { value } = await deps.store.updateDocument(
              team,
              DIGEST_DOC,
              digestStateSchema,
              (current) => {
                const base = current ?? defaultDigestState(now);
                let next: DigestState = { ...base, updated_by: user };
                if (cmd.kind === 'channel') next = { ...next, channel: cmd.channel, enabled: true };
                if (cmd.kind === 'off') next = { ...next, enabled: false };
                if (cmd.kind === 'on') next = { ...next, enabled: true, schedule_since: now.toISOString() };
                if (cmd.kind === 'skip-empty') next = { ...next, skip_empty: cmd.on };
                if (cmd.kind === 'schedule') {
                  // Without a zone the digest follows the workspace's (settings timezone=, else DEFAULT_TIMEZONE).
                  const { timezone: _previous, ...rest } = next;
                  next = {
                    ...rest,
                    schedule: cmd.schedule,
                    ...(cmd.timezone ? { timezone: cmd.timezone } : {}),
                    schedule_since: now.toISOString(),
                  };
                }
                return { value: next, result: undefined };
              },
            );
            await reschedule(team);
            await c.respond(ephemeral(await status(deps, team, value)));
            return;
          }
        }
      },
    },

    register(app) {
      app.action<BlockButtonAction>(ACTIONS.digestOpenDashboard, async ({ ack, body, respond, action }) => {
        await ack();
        const team = teamOf(body);
        try {
          const msg = await dashboardMessage(
            ctx.deps,
            team,
            parsePeriod(action.value ?? '7d'),
            options.notes,
          );
          await respond({ ...ephemeral(msg), replace_original: false });
        } catch (error) {
          await reportFailure(ctx.deps, respond, 'Could not open the dashboard.', error);
        }
      });
    },

    // The workspace's zone may have changed, and a digest without its own zone follows it.
    reschedule,

    async start() {
      scheduler = createScheduler(ctx.deps.logger);
      for (const team of await ctx.deps.store.listWorkspaces()) {
        try {
          await catchUpDigest(digestContext(ctx), team);
          await reschedule(team);
        } catch (error) {
          ctx.deps.logger.error(`Digest start-up for ${team}: ${describeError(error)}`);
        }
      }
      resync = setInterval(() => {
        if (resyncing) return;
        resyncing = rescheduleAll()
          .catch((error: unknown) =>
            ctx.deps.logger.error(`Digest schedule refresh: ${describeError(error)}`),
          )
          .finally(() => {
            resyncing = undefined;
          });
      }, options.resyncMs ?? DIGEST_RESYNC_MS);
      resync.unref();
    },

    async stop() {
      clearInterval(resync);
      resync = undefined;
      await resyncing;
      await scheduler?.stopAll();
      scheduler = undefined;
    },
  };
}
