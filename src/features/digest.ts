/** The Monday digest: `digest …` settings, the node-cron schedule per workspace, catch-up, and its button. */

import type { BlockButtonAction } from '@slack/bolt';
import { renderDigestStatus } from '../blocks/digest.js';
import { renderFailure } from '../blocks/help.js';
import { message, section } from '../blocks/kit.js';
import {
  cronExpressionOf,
  DIGEST_DOC,
  type DigestState,
  defaultDigestState,
  digestStateSchema,
  parseDigestCommand,
} from '../domain/digest.js';
import { parsePeriod } from '../domain/period.js';
import { nextOccurrence } from '../domain/schedule.js';
import { AppError } from '../errors.js';
import type { Feature, FeatureContext } from '../feature.js';
import { ACTIONS } from '../ids.js';
import {
  buildDigest,
  catchUpDigest,
  type DigestContext,
  digestTimeZone,
  loadDigestState,
  occurrenceOfFire,
  sendDigestNow,
  sendScheduledDigest,
} from '../jobs/digest.js';
import { createScheduler, cronProblem, parseCronFields, type Scheduler } from '../jobs/schedule.js';
import { reportFailure } from '../listeners/command.js';
import { dashboardMessage } from '../listeners/dashboard-message.js';
import { type Deps, describeError, requireAdmin } from '../listeners/deps.js';

const ephemeral = <T extends object>(m: T) => ({ response_type: 'ephemeral' as const, ...m });

export function createDigestFeature(features: () => readonly Feature[]): Feature {
  let scheduler: Scheduler | undefined;
  let context: FeatureContext | undefined;

  const digestContext = (ctx: FeatureContext): DigestContext => ({
    deps: ctx.deps,
    client: ctx.client,
    incidents: async (team, window) => {
      for (const f of features()) {
        if (f.digestIncidents) return f.digestIncidents(team, window, ctx);
      }
      return null;
    },
  });

  /** Puts the workspace's schedule in node-cron as stored now (or removes it). */
  async function reschedule(ctx: FeatureContext, team: string): Promise<void> {
    if (!scheduler) return;
    const state = await loadDigestState(ctx.deps, team);
    if (!state?.enabled || !state.channel) {
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
    name: 'digest',
    subcommands: [
      {
        name: 'digest',
        async handle(c) {
          const cmd = parseDigestCommand(c.args.join(' '), cronProblem);
          const { deps, team, user } = c;
          if (cmd.kind !== 'show' && cmd.kind !== 'preview') requireAdmin(deps.config, user);
          await c.ack();
          const ctx = context ?? { deps, client: c.client, teamId: async () => team };
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
              const rec = await sendDigestNow(digestContext(ctx), team);
              await c.respond(
                ephemeral(
                  rec.status === 'posted'
                    ? message('Digest posted.', [
                        section(
                          `:white_check_mark: Digest for the week so far posted to <#${state.channel}>.`,
                        ),
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
              await reschedule(ctx, team);
              await c.respond(ephemeral(await status(deps, team, value)));
              return;
            }
          }
        },
      },
    ],

    register(app, ctx) {
      app.action<BlockButtonAction>(ACTIONS.digestOpenDashboard, async ({ ack, body, respond, action }) => {
        await ack();
        const team = body.team?.id ?? body.user.team_id ?? '';
        try {
          const msg = await dashboardMessage(ctx.deps, team, parsePeriod(action.value ?? '7d'));
          await respond({ response_type: 'ephemeral', replace_original: false, ...msg });
        } catch (error) {
          await reportFailure(ctx.deps, respond, 'Could not open the dashboard.', error);
        }
      });
    },

    async onSettingsChanged(team, ctx) {
      // The workspace's zone may have changed, and a digest without its own zone follows it.
      await reschedule(ctx, team);
    },

    async start(ctx) {
      context = ctx;
      scheduler = createScheduler(ctx.deps.logger);
      for (const team of await ctx.deps.store.listWorkspaces()) {
        try {
          await catchUpDigest(digestContext(ctx), team);
          await reschedule(ctx, team);
        } catch (error) {
          ctx.deps.logger.error(`Digest start-up for ${team}: ${describeError(error)}`);
        }
      }
    },

    async stop() {
      await scheduler?.stopAll();
      scheduler = undefined;
    },
  };
}
