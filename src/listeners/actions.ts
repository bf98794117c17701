/** Buttons: confirming or cancelling a run deletion. */
import type { App, BlockButtonAction } from '@slack/bolt';
import { renderFailure } from '../blocks/help.js';
import { escapeMrkdwn, message, section } from '../blocks/kit.js';
import { describeRun } from '../blocks/upload.js';
import { ACTIONS } from '../ids.js';
import { reportFailure } from './command.js';
import { ADMIN_REFUSAL, type Deps, isAdmin } from './deps.js';

export function registerActions(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(ACTIONS.runDeleteConfirm, async ({ ack, body, action, respond }) => {
    await ack();
    const team = body.team?.id ?? body.user.team_id ?? '';
    if (!isAdmin(deps.config, body.user.id)) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderFailure(ADMIN_REFUSAL) });
      return;
    }
    try {
      const removed = await deps.store.deleteRun(team, action.value ?? '');
      const text = removed
        ? `Run \`${escapeMrkdwn(removed.run_id)}\` deleted (${describeRun(removed)}).`
        : `Run \`${escapeMrkdwn(action.value ?? '')}\` was already gone.`;
      await respond({
        replace_original: true,
        ...message(text.replaceAll('`', ''), [section(`:wastebasket: ${text}`)]),
      });
    } catch (error) {
      await reportFailure(deps, respond, 'Could not delete the run.', error);
    }
  });

  app.action<BlockButtonAction>(ACTIONS.runDeleteCancel, async ({ ack, action, respond }) => {
    await ack();
    const text = `Kept run \`${escapeMrkdwn(action.value ?? '')}\`; nothing was deleted.`;
    await respond({ replace_original: true, ...message(text.replaceAll('`', ''), [section(text)]) });
  });
}
