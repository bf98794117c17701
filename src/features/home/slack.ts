/**
 * The App Home: published when a person opens the Home tab, when they change the period or tier,
 * and after every stored run for the people who opened it recently (keeping their choices).
 */
import type { App, BlockStaticSelectAction } from '@slack/bolt';
import { parsePeriod } from '../../domain/period.js';
import { ACTIONS } from '../../ids.js';
import { type DashboardNotes, dashboardModel } from '../../slack/dashboard-message.js';
import type { EdgeContext } from '../../slack/deps.js';
import { describeError, slackErrorCode } from '../../slack/errors.js';
import {
  DEFAULT_HOME_CHOICE,
  HOME_DOC,
  type HomeChoice,
  homeStateSchema,
  isHomePeriod,
  isHomeTier,
  rememberChoice,
} from './state.js';
import { renderHomeView } from './view.js';

export interface Home {
  register(app: App): void;
  /** After a stored run: re-publish the Home tab of everyone who opened it recently. */
  refresh(team: string): Promise<void>;
}

export function createHome(ctx: EdgeContext, options: { notes: DashboardNotes }): Home {
  const { deps } = ctx;

  async function publish(team: string, user: string, choice: HomeChoice): Promise<void> {
    const [model, alerts] = await Promise.all([
      dashboardModel(deps, team, parsePeriod(choice.period)),
      options.notes(team),
    ]);
    const view = renderHomeView({ model, alerts, ...choice, updatedAt: deps.now().toISOString() });
    // The workspace's own token (distributed mode), under the delivery policy; none when it has
    // not installed the app. views.publish replaces the whole tab, so it is safe to repeat.
    const slack = await ctx.slackFor(team);
    if (!slack) return;
    const send = (blocks: typeof view.blocks) =>
      slack.call(
        'views.publish',
        { user_id: user, view: { ...view, blocks } },
        { safe: true, key: user, what: 'App Home' },
      );
    try {
      await send(view.blocks);
    } catch (error) {
      if (slackErrorCode(error) !== 'invalid_blocks') throw error;
      // Slack refused the charts or tables: the same figures without them.
      await send(view.blocks.filter((b) => b.type !== 'data_visualization' && b.type !== 'data_table'));
    }
  }

  async function choose(team: string, user: string, change: Partial<HomeChoice>): Promise<HomeChoice> {
    const at = deps.now().toISOString();
    const { result } = await deps.store.updateDocument(team, HOME_DOC, homeStateSchema, (current) => {
      const r = rememberChoice(current, user, change, at);
      return { value: r.state, result: r.choice };
    });
    return result;
  }

  return {
    register(app) {
      app.event('app_home_opened', async ({ event, body }) => {
        if (event.tab !== 'home') return;
        const team = body.team_id;
        try {
          await publish(team, event.user, await choose(team, event.user, {}));
        } catch (error) {
          deps.logger.error(`App Home for ${event.user}: ${describeError(error)}`);
        }
      });
      const onSelect = (key: 'period' | 'tier') =>
        (async ({ ack, body, action }) => {
          await ack();
          const value = action.selected_option?.value;
          const team = body.team?.id ?? body.user.team_id ?? '';
          const change: Partial<HomeChoice> = {};
          if (key === 'period' && isHomePeriod(value)) change.period = value;
          else if (key === 'tier' && isHomeTier(value)) change.tier = value;
          else return;
          try {
            await publish(team, body.user.id, await choose(team, body.user.id, change));
          } catch (error) {
            deps.logger.error(`App Home ${key} for ${body.user.id}: ${describeError(error)}`);
          }
        }) satisfies Parameters<typeof app.action<BlockStaticSelectAction>>[1];
      app.action<BlockStaticSelectAction>(ACTIONS.homePeriod, onSelect('period'));
      app.action<BlockStaticSelectAction>(ACTIONS.homeTier, onSelect('tier'));
    },

    async refresh(team) {
      const state = await deps.store.getDocument(team, HOME_DOC, homeStateSchema);
      for (const [user, choice] of Object.entries(state?.users ?? {})) {
        try {
          await publish(team, user, { ...DEFAULT_HOME_CHOICE, period: choice.period, tier: choice.tier });
        } catch (error) {
          deps.logger.warn(`App Home refresh for ${user}: ${describeError(error)}`);
        }
      }
    },
  };
}
