/** The core subcommands of `/apollo-dashboard` (dashboard, post, upload, runs, settings, help) as router entries. */
import { type HelpGroup, renderFailure, renderHelpMessage } from '../blocks/help.js';
import { message, section } from '../blocks/kit.js';
import {
  damagedNote,
  renderDamagedDeleteConfirm,
  renderDeleteConfirm,
  renderRunList,
  renderSettings,
  renderSettingsReset,
} from '../blocks/runs.js';
import { renderUploadModal } from '../blocks/upload.js';
import {
  renderDataDeleted,
  renderDeleteDataWarning,
  renderIngestKeyList,
  renderIngestKeyRevoked,
  renderNewIngestKey,
} from '../blocks/workspace.js';
import { parseCommand } from '../domain/command.js';
import { resolveSettings } from '../domain/settings.js';
import { AppError } from '../errors.js';
import { COMMAND } from '../ids.js';
import { type DashboardNotes, dashboardMessage, dashboardSummary } from './dashboard-message.js';
import { withSlowNotice } from './delivery.js';
import { requireAdmin } from './deps.js';
import {
  describeError,
  notInChannelHint,
  SLACK_SLOW,
  slackErrorCode,
  slackUnavailableHint,
  TRIGGER_BUDGET_MS,
  triggerHint,
} from './errors.js';
import type { IngestKeys } from './ingest-keys.js';
import { loadSettings } from './payload.js';
import { ephemeral, reportFailure } from './reply.js';
import { sendWithRichFallback } from './rich-fallback.js';
import type { CommandContext, Subcommand } from './router.js';

export interface CoreCommandOptions {
  /** The help lines (every grammar's). */
  usage: readonly string[];
  /** The same lines grouped for `help`. */
  helpGroups?: readonly HelpGroup[];
  /** Lines shown under the dashboard (alerts' notes). */
  notes: DashboardNotes;
  /** Called after the workspace's settings changed (the digest follows its time zone). */
  onSettingsChanged: (team: string) => Promise<void>;
  ingestKeys: IngestKeys;
  /** `settings delete-data confirm`: the workspace's data goes now; its installation stays. */
  deleteWorkspaceData: (team: string) => Promise<void>;
}

/** The router table's core entries, and the fallback for text that names no subcommand (a period). */
export function coreCommands(options: CoreCommandOptions): {
  subcommands: Subcommand[];
  fallback: Subcommand['handle'];
} {
  const handle = async (c: CommandContext): Promise<void> => {
    const { deps, team, user } = c;
    const parsed = parseCommand(c.text);
    switch (parsed.kind) {
      case 'help':
        await c.ack(ephemeral(renderHelpMessage(options.helpGroups ?? options.usage)));
        return;
      case 'upload': {
        await c.ack();
        try {
          // A trigger_id lives 3 s: the form opens within that or not at all, whatever else is
          // rate-limited (the key is this user, so another user's 429 never delays it).
          await c.slack.call(
            'views.open',
            { trigger_id: c.triggerId, view: renderUploadModal({ channel_id: c.channel }) },
            { safe: false, key: user, budgetMs: TRIGGER_BUDGET_MS, what: 'upload form' },
          );
        } catch (error) {
          const hint = triggerHint(error);
          if (hint) {
            deps.logger.warn(`Upload form for ${user} did not open: ${describeError(error)}`);
            await c
              .respond(ephemeral(renderFailure('Could not open the upload form.', hint)))
              .catch(() => undefined);
          } else await reportFailure(deps, c.respond, 'Could not open the upload form.', error);
        }
        return;
      }
      case 'settings-set':
      case 'settings-reset':
      case 'runs-delete':
      case 'ingest-key-new':
      case 'ingest-key-list':
      case 'ingest-key-revoke':
      case 'delete-data':
        requireAdmin(deps.config, user);
        break;
    }
    await c.ack();
    switch (parsed.kind) {
      case 'dashboard': {
        // Summary first; the detail is one button away (a follow-up here, a thread reply when posted).
        const msg = parsed.full
          ? await dashboardMessage(deps, team, parsed.period, options.notes)
          : await dashboardSummary(deps, team, parsed.period, options.notes);
        await sendWithRichFallback(deps, msg, (m) => c.respond(ephemeral(m)), { anyError: true });
        return;
      }
      case 'post': {
        const msg = await dashboardSummary(deps, team, parsed.period, options.notes);
        try {
          await withSlowNotice(
            // A workspace that refuses charts or tables (invalid_blocks) gets the same figures without them.
            sendWithRichFallback(deps, msg, (m) =>
              c.slack.call(
                'chat.postMessage',
                { channel: c.channel, ...m },
                { safe: false, key: c.channel, what: 'dashboard post' },
              ),
            ),
            {
              afterMs: c.slack.policy.slowNoticeMs,
              notify: async () => {
                await c.respond(ephemeral(SLACK_SLOW));
              },
              onLateSuccess: async () => {
                await c.respond(
                  ephemeral(
                    message('Dashboard posted.', [section(':white_check_mark: The dashboard is posted.')]),
                  ),
                );
              },
            },
          );
        } catch (error) {
          const hint = notInChannelHint(slackErrorCode(error)) ?? slackUnavailableHint(error);
          if (!hint) throw error;
          await c.respond(ephemeral(renderFailure('Could not post the dashboard.', hint)));
        }
        return;
      }
      case 'runs': {
        const [runs, settings, damaged] = await Promise.all([
          deps.store.listRuns(team),
          loadSettings(deps, team),
          deps.store.listDamaged(team),
        ]);
        await c.respond(ephemeral(renderRunList(runs, settings.timezone, damaged)));
        return;
      }
      case 'runs-delete': {
        const run = (await deps.store.listRuns(team)).find((r) => r.run_id === parsed.runId);
        const damaged = run
          ? undefined
          : (await deps.store.listDamaged(team)).find((d) => d.run_id === parsed.runId);
        if (damaged) {
          await c.respond(ephemeral(renderDamagedDeleteConfirm(parsed.runId, damaged.record)));
          return;
        }
        if (!run)
          throw new AppError('not_found', `There is no run \`${parsed.runId}\`. See \`${COMMAND} runs\`.`);
        await c.respond(ephemeral(renderDeleteConfirm(run)));
        return;
      }
      case 'settings': {
        const [settings, damaged] = await Promise.all([
          loadSettings(deps, team),
          deps.store.listDamaged(team),
        ]);
        const note = damagedNote(damaged.filter((d) => d.record === 'settings'));
        await c.respond(ephemeral(renderSettings(settings, note)));
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
        await options.onSettingsChanged(team);
        const resolved = resolveSettings(stored, { timeZone: deps.config.defaultTimeZone });
        await c.respond(ephemeral(renderSettings(resolved)));
        return;
      }
      case 'settings-reset': {
        const removed = await deps.store.deleteDamagedSettings(team);
        if (removed) {
          deps.logger.info(`The damaged settings record of ${team} was removed by ${user}.`);
          await options.onSettingsChanged(team);
        }
        await c.respond(ephemeral(renderSettingsReset(removed)));
        return;
      }
      case 'ingest-key-new': {
        const { key, prefix } = await options.ingestKeys.create(team, user);
        deps.logger.info(`Ingest key ${prefix}… created for ${team} by ${user}.`);
        await c.respond(ephemeral(renderNewIngestKey(key)));
        return;
      }
      case 'ingest-key-list': {
        const [keys, settings] = await Promise.all([options.ingestKeys.list(team), loadSettings(deps, team)]);
        await c.respond(ephemeral(renderIngestKeyList(keys, settings.timezone)));
        return;
      }
      case 'ingest-key-revoke': {
        const revoked = await options.ingestKeys.revoke(team, parsed.prefix.replace(/…$/, ''));
        deps.logger.info(`Ingest key ${revoked.prefix}… of ${team} revoked by ${user}.`);
        await c.respond(ephemeral(renderIngestKeyRevoked(revoked.prefix)));
        return;
      }
      case 'delete-data': {
        if (!parsed.confirmed) {
          await c.respond(ephemeral(renderDeleteDataWarning()));
          return;
        }
        await options.deleteWorkspaceData(team);
        await c.respond(ephemeral(renderDataDeleted()));
        return;
      }
    }
  };
  return {
    subcommands: ['help', 'full', 'post', 'upload', 'runs', 'settings'].map((name) => ({ name, handle })),
    fallback: handle,
  };
}
