/**
 * The summary's buttons: the full dashboard (a thread reply under a posted summary, else a
 * follow-up only the clicker sees), the period's Tier 1 companies as CSV, and the alerts view.
 */
import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/kit.js';
import { parsePeriod } from '../domain/period.js';
import { ACTIONS } from '../ids.js';
import { type DashboardNotes, dashboardMessage } from './dashboard-message.js';
import type { SlackDelivery } from './delivery.js';
import type { Deps } from './deps.js';
import { teamOf } from './payload.js';
import { ephemeral, reportFailure } from './reply.js';
import { sendWithRichFallback } from './rich-fallback.js';

export interface DashboardActionsOptions {
  notes: DashboardNotes;
  /** The delivery policy around the client Bolt hands a listener. */
  slack: (client: WebClient) => SlackDelivery;
  /** The `alerts` status view of a workspace. */
  alertsStatus: (team: string) => Promise<SlackMessage>;
  /** Posts the period's Tier 1 companies as a CSV file to the channel. */
  tier1Csv: (
    target: { slack: SlackDelivery; channel: string; respond: RespondFn; deps: Deps; team: string },
    periodKey: string,
  ) => Promise<void>;
}

export function registerDashboardActions(app: App, deps: Deps, options: DashboardActionsOptions): void {
  app.action<BlockButtonAction>(
    ACTIONS.dashboardDetail,
    async ({ ack, body, action, respond: raw, client }) => {
      await ack();
      const slack = options.slack(client);
      const respond: RespondFn = (m) => slack.within('response_url reply', () => raw(m));
      try {
        const msg = await dashboardMessage(
          deps,
          teamOf(body),
          parsePeriod(action.value ?? ''),
          options.notes,
        );
        const container = body.container as {
          is_ephemeral?: boolean;
          channel_id?: string;
          message_ts?: string;
        };
        const channel = body.channel?.id ?? container.channel_id;
        const ts = body.message?.ts ?? container.message_ts;
        if (!container.is_ephemeral && channel && ts) {
          // Under a posted summary the detail goes in its thread, for everyone who reads it.
          await sendWithRichFallback(deps, msg, (m) =>
            slack.call(
              'chat.postMessage',
              { channel, thread_ts: ts, ...m },
              { safe: false, key: channel, what: 'dashboard detail' },
            ),
          );
          return;
        }
        await sendWithRichFallback(deps, msg, (m) => respond({ ...ephemeral(m), replace_original: false }), {
          anyError: true,
        });
      } catch (error) {
        await reportFailure(deps, respond, 'Could not open the full dashboard.', error);
      }
    },
  );

  app.action<BlockButtonAction>(
    ACTIONS.dashboardTier1Csv,
    async ({ ack, body, action, respond: raw, client }) => {
      await ack();
      const slack = options.slack(client);
      const respond: RespondFn = (m) => slack.within('response_url reply', () => raw(m));
      const channel = body.channel?.id ?? (body.container as { channel_id?: string }).channel_id;
      try {
        if (!channel) throw new Error('the button came from no channel');
        await options.tier1Csv({ slack, channel, respond, deps, team: teamOf(body) }, action.value ?? '');
      } catch (error) {
        await reportFailure(deps, respond, 'Could not export the Tier 1 companies.', error);
      }
    },
  );

  app.action<BlockButtonAction>(ACTIONS.dashboardAlerts, async ({ ack, body, respond: raw, client }) => {
    await ack();
    const slack = options.slack(client);
    const respond: RespondFn = (m) => slack.within('response_url reply', () => raw(m));
    try {
      await respond({ ...ephemeral(await options.alertsStatus(teamOf(body))), replace_original: false });
    } catch (error) {
      await reportFailure(deps, respond, 'Could not open the alerts.', error);
    }
  });
}
