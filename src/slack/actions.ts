/** Buttons: confirming or cancelling a run deletion. */
import type { App, BlockButtonAction } from '@slack/bolt';
import { renderFailure } from '../blocks/help.js';
import { escapeMrkdwn, message, section } from '../blocks/kit.js';
import { describeRun } from '../blocks/upload.js';
import { ADMIN_REFUSAL } from '../errors.js';
import { ACTIONS } from '../ids.js';
import { type Deps, isAdmin } from './deps.js';
import { teamOf } from './payload.js';
import { ephemeral, reportFailure } from './reply.js';

export interface ActionOptions {
  /** After a run was deleted (alerts forget it); never throws. */
  onDeleted: (team: string, runId: string) => Promise<void>;
}

export function registerActions(app: App, deps: Deps, options: ActionOptions): void {
  app.action<BlockButtonAction>(ACTIONS.runDeleteConfirm, async ({ ack, body, action, respond }) => {
    await ack();
    const team = teamOf(body);
    if (!isAdmin(deps.config, body.user.id)) {
      await respond({ ...ephemeral(renderFailure(ADMIN_REFUSAL)), replace_original: false });
      return;
    }
    try {
      const removed = await deps.store.deleteRun(team, action.value ?? '');
      if (removed) await options.onDeleted(team, removed.run_id);
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
