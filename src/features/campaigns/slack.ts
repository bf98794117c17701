import type { App, BlockButtonAction, CustomRoute, ViewStateValue } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { renderFailure } from '../../blocks/help.js';
import type { SlackMessage } from '../../blocks/kit.js';
import type { CampaignEntry } from '../../domain/campaigns.js';
import { formatLocalDate, isValidTimeZone } from '../../domain/time.js';
import { isAppError, userMessageOf } from '../../errors.js';
import { ingestRoute, sendJson } from '../../http/routes.js';
import { ACTIONS, BLOCKS, INGEST_CAMPAIGNS_PATH, VIEWS } from '../../ids.js';
import {
  lastCampaignUpdateBy,
  removeCampaignUpdate,
  repairCampaignUpdates,
} from '../../services/campaign-updates.js';
import type { SlackDelivery } from '../../slack/delivery.js';
import { type Deps, type EdgeContext, requireAdmin } from '../../slack/deps.js';
import { describeError, TRIGGER_BUDGET_MS, triggerHint } from '../../slack/errors.js';
import { teamOf } from '../../slack/payload.js';
import { ephemeral, reportFailure, tellUser } from '../../slack/reply.js';
import type { CommandContext, Subcommand } from '../../slack/router.js';
import { parseCampaignCommand, resolveEntryDate } from './grammar.js';
import { type CampaignFormField, parseCampaignPayload, validateCampaignForm } from './input.js';
import {
  type CampaignModalMetadata,
  renderCampaignModal,
  renderCampaignRecorded,
  renderCampaignRepair,
  renderNothingToUndo,
  renderUndoConfirm,
  renderUndoDone,
  renderUndoGone,
  renderUndoKept,
} from './messages.js';
import { campaignContext, recordCampaignEntries } from './service.js';

/** Campaign update bodies are small; a list of 1,000 updates is well under this. */
const MAX_CAMPAIGN_BODY_BYTES = 1024 * 1024;

const FORM_BLOCKS: Record<CampaignFormField, string> = {
  channel: BLOCKS.campaignChannel,
  sent: BLOCKS.campaignSent,
  opened: BLOCKS.campaignOpened,
  responded: BLOCKS.campaignResponded,
  converted: BLOCKS.campaignConverted,
  date: BLOCKS.campaignDate,
};

async function recordFromCommand(ctx: CommandContext, entry: CampaignEntry): Promise<void> {
  const { deps } = ctx;
  await ctx.ack();
  // A date the user typed wrong is a usage error: the router answers it with the usage.
  let usageError: unknown;
  await (async () => {
    try {
      const now = deps.now();
      const context = await campaignContext(deps.store, ctx.team, {
        now,
        defaultTimeZone: deps.config.defaultTimeZone,
      });
      let date: string;
      try {
        date = resolveEntryDate(entry, context.today, context.timeZone);
      } catch (error) {
        if (!isAppError(error, 'bad_command')) throw error;
        usageError = error;
        return;
      }
      const [recorded] = await recordCampaignEntries({
        store: deps.store,
        team: ctx.team,
        entries: [{ ...entry, date }],
        user: ctx.user,
        source: 'slack',
        now,
        context,
      });
      if (!recorded) return;
      deps.logger.info(`Recorded a ${entry.channel} campaign update (${entry.mode}) for ${ctx.team}.`);
      await ctx.respond(
        ephemeral(
          renderCampaignRecorded({
            ...recorded,
            periodLabel: context.period.label,
            timeZone: context.timeZone,
            currency: context.settings.currency,
          }),
        ),
      );
    } catch (error) {
      await reportFailure(
        deps,
        ctx.respond,
        'Could not record the campaign update; nothing was stored.',
        error,
      );
    }
  })();
  if (usageError) throw usageError;
}

async function openForm(ctx: CommandContext): Promise<void> {
  const { deps } = ctx;
  await ctx.ack();
  try {
    const context = await campaignContext(deps.store, ctx.team, {
      now: deps.now(),
      defaultTimeZone: deps.config.defaultTimeZone,
    });
    await ctx.slack.call(
      'views.open',
      {
        trigger_id: ctx.triggerId,
        view: renderCampaignModal({ channel_id: ctx.channel, tz: context.timeZone, today: context.today }),
      },
      { safe: false, key: ctx.user, budgetMs: TRIGGER_BUDGET_MS, what: 'campaign form' },
    );
  } catch (error) {
    const hint = triggerHint(error);
    if (hint) await ctx.respond(ephemeral(renderFailure('Could not open the campaign form.', hint)));
    else await reportFailure(deps, ctx.respond, 'Could not open the campaign form.', error);
  }
}

async function offerUndo(ctx: CommandContext): Promise<void> {
  const { deps } = ctx;
  await ctx.ack();
  try {
    const [last, context] = await Promise.all([
      lastCampaignUpdateBy(deps.store, ctx.team, ctx.user),
      campaignContext(deps.store, ctx.team, {
        now: deps.now(),
        defaultTimeZone: deps.config.defaultTimeZone,
      }),
    ]);
    await ctx.respond(ephemeral(last ? renderUndoConfirm(last, context.timeZone) : renderNothingToUndo()));
  } catch (error) {
    await reportFailure(deps, ctx.respond, 'Could not look up your campaign updates.', error);
  }
}

export const campaignSubcommand: Subcommand = {
  name: 'campaign',
  async handle(ctx) {
    // A mistyped update throws `bad_command` here, before the ack: the router answers with the usage.
    const command = parseCampaignCommand(ctx.args);
    switch (command.kind) {
      case 'form':
        return openForm(ctx);
      case 'undo':
        return offerUndo(ctx);
      case 'repair': {
        requireAdmin(ctx.deps.config, ctx.user);
        await ctx.ack();
        try {
          const outcome = await repairCampaignUpdates(ctx.deps.store, ctx.team);
          if (outcome.removed.length > 0)
            ctx.deps.logger.info(
              `Damaged campaign records of ${ctx.team} removed by ${ctx.user}: ${outcome.removed.join(', ')}.`,
            );
          await ctx.respond(ephemeral(renderCampaignRepair(outcome)));
        } catch (error) {
          await reportFailure(ctx.deps, ctx.respond, 'Could not repair the campaign records.', error);
        }
        return;
      }
      case 'record':
        return recordFromCommand(ctx, command.entry);
    }
  },
};

type StateValues = Record<string, Record<string, ViewStateValue>>;

function registerListeners(app: App, deps: Deps, slack: (client: WebClient) => SlackDelivery): void {
  app.view(VIEWS.campaign, async ({ ack, view, body, client }) => {
    let meta: Partial<CampaignModalMetadata> = {};
    try {
      meta = JSON.parse(view.private_metadata || '{}') as CampaignModalMetadata;
    } catch {
      meta = {};
    }
    const tz = meta.tz && isValidTimeZone(meta.tz) ? meta.tz : deps.config.defaultTimeZone;
    const values = view.state.values as StateValues;
    const pick = (field: CampaignFormField, action: string) => values[FORM_BLOCKS[field]]?.[action];
    const now = deps.now();
    const checked = validateCampaignForm(
      {
        channel: pick('channel', ACTIONS.campaignChannel)?.selected_option?.value ?? null,
        sent: pick('sent', ACTIONS.campaignSent)?.value ?? null,
        opened: pick('opened', ACTIONS.campaignOpened)?.value ?? null,
        responded: pick('responded', ACTIONS.campaignResponded)?.value ?? null,
        converted: pick('converted', ACTIONS.campaignConverted)?.value ?? null,
        date: pick('date', ACTIONS.campaignDate)?.selected_date ?? null,
      },
      formatLocalDate(now, tz),
    );
    if (!checked.ok) {
      const errors: Record<string, string> = {};
      for (const [field, text] of Object.entries(checked.errors)) {
        errors[FORM_BLOCKS[field as CampaignFormField]] = text;
      }
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const user = body.user.id;
    const team = teamOf(body);
    const target = { user, ...(meta.channel_id ? { channel: meta.channel_id } : {}) };
    let msg: SlackMessage;
    try {
      const context = await campaignContext(deps.store, team, {
        now,
        defaultTimeZone: deps.config.defaultTimeZone,
      });
      const [recorded] = await recordCampaignEntries({
        store: deps.store,
        team,
        entries: [checked.entry],
        user,
        source: 'slack',
        now,
        context,
      });
      if (!recorded) return;
      deps.logger.info(`Recorded a ${checked.entry.channel} campaign update from the form for ${team}.`);
      msg = renderCampaignRecorded({
        ...recorded,
        periodLabel: context.period.label,
        timeZone: context.timeZone,
        currency: context.settings.currency,
      });
    } catch (error) {
      deps.logger.error(`Campaign form: ${describeError(error)}`);
      msg = renderFailure('The campaign update was not stored.', userMessageOf(error));
    }
    try {
      await tellUser(slack(client), deps.logger, target, msg);
    } catch (error) {
      deps.logger.error(`Could not tell ${user} about their campaign update: ${describeError(error)}`);
    }
  });

  app.action<BlockButtonAction>(ACTIONS.campaignUndoConfirm, async ({ ack, body, action, respond }) => {
    await ack();
    const team = teamOf(body);
    try {
      const result = await removeCampaignUpdate(deps.store, team, action.value ?? '', body.user.id);
      const msg =
        result.removed && result.after ? renderUndoDone(result.removed, result.after) : renderUndoGone();
      if (result.removed)
        deps.logger.info(`Removed a ${result.removed.channel} campaign update for ${team}.`);
      await respond({ replace_original: true, ...msg });
    } catch (error) {
      await reportFailure(deps, respond, 'Could not remove the campaign update.', error);
    }
  });

  app.action<BlockButtonAction>(ACTIONS.campaignUndoCancel, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, ...renderUndoKept() });
  });
}

function campaignRoute(ctx: EdgeContext): CustomRoute {
  const { deps } = ctx;
  return ingestRoute({
    path: INGEST_CAMPAIGNS_PATH,
    deps,
    authenticate: ctx.ingestTeam,
    maxBytes: MAX_CAMPAIGN_BODY_BYTES,
    what: 'The campaign updates',
    handle: async (body, _req, res, team) => {
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        sendJson(res, 400, {
          error: 'upload_invalid',
          message: 'The body is not JSON. Send one update or a list. Nothing was stored.',
          problems: [{ where: '', field: '', message: 'Not valid JSON.' }],
        });
        return;
      }
      const now = deps.now();
      const context = await campaignContext(deps.store, team, {
        now,
        defaultTimeZone: deps.config.defaultTimeZone,
      });
      const entries = parseCampaignPayload(json, { today: context.today, timeZone: context.timeZone });
      const recorded = await recordCampaignEntries({
        store: deps.store,
        team,
        entries,
        user: 'api',
        source: 'api',
        now,
        context,
      });
      deps.logger.info(`Recorded ${recorded.length} campaign updates from the API for ${team}.`);
      const latest = new Map(recorded.map((r) => [r.update.channel, r.performance]));
      sendJson(res, 201, {
        stored: recorded.length,
        message: `${recorded.length} campaign update${recorded.length === 1 ? '' : 's'} stored.`,
        updates: recorded.map((r) => ({ ...r.update, before: r.before, after: r.after })),
        period: context.period,
        totals: Object.fromEntries(latest),
        warnings: [...latest.values()].flatMap((p) => p.warnings),
      });
    },
  });
}

/** What the app wires: the subcommand, the form and undo buttons, and the campaign ingest route. */
export interface Campaigns {
  subcommand: Subcommand;
  register(app: App): void;
  routes(): CustomRoute[];
}

export function createCampaigns(ctx: EdgeContext): Campaigns {
  return {
    subcommand: campaignSubcommand,
    register(app) {
      registerListeners(app, ctx.deps, ctx.slackOf);
    },
    routes() {
      return [campaignRoute(ctx)];
    },
  };
}
