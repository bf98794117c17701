/** `/apollo-dashboard`: ack first (with the answer when it is instant), slow work after. */

import type { App, RespondFn } from '@slack/bolt';
import { renderCommandError, renderFailure, renderHelp } from '../blocks/help.js';
import type { SlackMessage } from '../blocks/kit.js';
import { renderDeleteConfirm, renderRunList, renderSettings } from '../blocks/runs.js';
import { renderUploadModal } from '../blocks/upload.js';
import { type Command, parseCommand, splitWords } from '../domain/command.js';
import { resolveSettings } from '../domain/settings.js';
import { AppError, isAppError } from '../errors.js';
import { COMMAND } from '../ids.js';
import { dashboardMessage } from './dashboard-message.js';
import {
  ADMIN_REFUSAL,
  type Deps,
  describeError,
  isAdmin,
  notInChannelHint,
  slackErrorCode,
} from './deps.js';
import type { Subcommand } from './subcommand.js';

const ephemeral = (m: SlackMessage) => ({ response_type: 'ephemeral' as const, ...m });

/** Reports a failure after the ack to the user and the log; never throws. */
export async function reportFailure(
  deps: Deps,
  respond: RespondFn,
  what: string,
  error: unknown,
): Promise<void> {
  deps.logger.error(`${what}: ${describeError(error)}`);
  const detail =
    isAppError(error, 'store_unavailable') ||
    isAppError(error, 'not_found') ||
    isAppError(error, 'bad_command')
      ? error.message
      : 'Something went wrong on our side; it has been logged.';
  try {
    await respond(ephemeral(renderFailure(what, detail)));
  } catch (e) {
    deps.logger.error(`Could not report the failure to the user: ${describeError(e)}`);
  }
}

export function registerCommand(app: App, deps: Deps, subcommands: readonly Subcommand[] = []): void {
  const features = new Map(subcommands.map((s) => [s.name, s]));
  app.command(COMMAND, async ({ command, ack, respond, client }) => {
    const [head, ...args] = splitWords(command.text ?? '');
    const feature = features.get((head ?? '').toLowerCase());
    if (feature) {
      let acked = false;
      const trackedAck: typeof ack = async (response) => {
        acked = true;
        await ack(response);
      };
      try {
        await feature.handle({
          deps,
          client,
          ack: trackedAck,
          respond,
          team: command.team_id,
          user: command.user_id,
          channel: command.channel_id,
          triggerId: command.trigger_id,
          text: command.text ?? '',
          args,
        });
      } catch (error) {
        if (!acked && isAppError(error, 'bad_command')) {
          await ack(ephemeral(renderCommandError(error.message)));
          return;
        }
        if (!acked && isAppError(error, 'forbidden')) {
          await ack(ephemeral(renderCommandError(error.message)));
          return;
        }
        if (!acked) await ack();
        await reportFailure(deps, respond, `\`${COMMAND} ${command.text ?? ''}\` failed.`, error);
      }
      return;
    }
    let parsed: Command;
    try {
      parsed = parseCommand(command.text ?? '');
    } catch (error) {
      if (isAppError(error, 'bad_command')) {
        await ack(ephemeral(renderCommandError(error.message)));
        return;
      }
      throw error;
    }
    const team = command.team_id;
    const user = command.user_id;
    switch (parsed.kind) {
      case 'help':
        await ack(ephemeral(renderHelp()));
        return;
      case 'upload': {
        await ack();
        try {
          await client.views.open({
            trigger_id: command.trigger_id,
            view: renderUploadModal({ channel_id: command.channel_id }),
          });
        } catch (error) {
          await reportFailure(deps, respond, 'Could not open the upload form.', error);
        }
        return;
      }
      case 'settings-set':
      case 'runs-delete':
        if (!isAdmin(deps.config, user)) {
          await ack(ephemeral(renderCommandError(ADMIN_REFUSAL)));
          return;
        }
        break;
    }
    await ack();
    try {
      switch (parsed.kind) {
        case 'dashboard': {
          await respond(ephemeral(await dashboardMessage(deps, team, parsed.period)));
          return;
        }
        case 'post': {
          const msg = await dashboardMessage(deps, team, parsed.period);
          try {
            await client.chat.postMessage({ channel: command.channel_id, ...msg });
          } catch (error) {
            const hint = notInChannelHint(slackErrorCode(error));
            if (!hint) throw error;
            await respond(ephemeral(renderFailure('Could not post the dashboard.', hint)));
          }
          return;
        }
        case 'runs': {
          const [runs, stored] = await Promise.all([deps.store.listRuns(team), deps.store.getSettings(team)]);
          const tz = resolveSettings(stored, { timeZone: deps.config.defaultTimeZone }).timezone;
          await respond(ephemeral(renderRunList(runs, tz)));
          return;
        }
        case 'runs-delete': {
          const run = (await deps.store.listRuns(team)).find((r) => r.run_id === parsed.runId);
          if (!run)
            throw new AppError('not_found', `There is no run \`${parsed.runId}\`. See \`${COMMAND} runs\`.`);
          await respond(ephemeral(renderDeleteConfirm(run)));
          return;
        }
        case 'settings': {
          const stored = await deps.store.getSettings(team);
          await respond(
            ephemeral(renderSettings(resolveSettings(stored, { timeZone: deps.config.defaultTimeZone }))),
          );
          return;
        }
        case 'settings-set': {
          const at = deps.now().toISOString();
          const change = parsed.change;
          const stored = await deps.store.updateSettings(team, (current) => {
            const next = { ...current };
            for (const [key, value] of Object.entries(change)) {
              if (value === null || value === undefined) delete next[key];
              else next[key] = { value, set_by: user, set_at: at };
            }
            return next;
          });
          await deps.settingsChanged(team);
          const resolved = resolveSettings(stored, { timeZone: deps.config.defaultTimeZone });
          await respond(ephemeral(renderSettings(resolved)));
          return;
        }
      }
    } catch (error) {
      await reportFailure(deps, respond, `\`${COMMAND} ${command.text ?? ''}\` failed.`, error);
    }
  });
}
