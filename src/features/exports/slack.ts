/**
 * `/apollo-dashboard export <json|csv|html|companies> [period] [tier=…]`: answers at once that the
 * export is on its way, then builds the file and posts it to the channel with Slack's upload flow
 * (files.getUploadURLExternal, the upload, files.completeUploadExternal; `files.uploadV2`). The
 * file and its comment appear together in the last step, so a failure never leaves half a post.
 */

import { renderFailure } from '../../blocks/help.js';
import { message, section } from '../../blocks/kit.js';
import { isSlackCallError, type SlackDelivery, withSlowNotice } from '../../slack/delivery.js';
import type { Deps } from '../../slack/deps.js';
import {
  describeError,
  notInChannelHint,
  SLACK_SLOW,
  slackErrorCode,
  slackUnavailableHint,
} from '../../slack/errors.js';
import { ephemeral } from '../../slack/reply.js';
import type { CommandContext, Subcommand } from '../../slack/router.js';
import { parseExportArgs } from './grammar.js';
import { renderExportAck, renderExportComment, renderNothingToExport } from './messages.js';
import type { ExportFile } from './render-export.js';
import { buildExportFromStore, type ExportJob } from './service.js';

const UPLOAD_FAILED = 'Could not post the export.';

/** Why an upload failed, in words the user can act on. */
export function describeUploadFailure(error: unknown): string {
  const unavailable = slackUnavailableHint(error);
  if (unavailable) return unavailable;
  const code = slackErrorCode(error);
  const hint = notInChannelHint(code);
  if (hint) return hint;
  if (code) return `Slack refused the file (\`${code}\`). Nothing was posted.`;
  return 'The upload to Slack did not go through. Nothing was posted; try again in a moment.';
}

/**
 * Slack's upload flow, step by step under the delivery policy: the upload URL and the bytes are
 * safe to repeat (nothing is shared until the last step); `files.completeUploadExternal` shares
 * the file in the channel and is never repeated.
 */
async function uploadFile(slack: SlackDelivery, channel: string, file: ExportFile): Promise<void> {
  const bytes = Buffer.from(file.content, 'utf8');
  const url = (await slack.call(
    'files.getUploadURLExternal',
    { filename: file.filename, length: bytes.length },
    { safe: true, key: channel, what: 'export upload URL' },
  )) as { upload_url?: string; file_id?: string };
  if (!url.upload_url || !url.file_id) throw new Error('Slack gave no upload URL');
  const uploadUrl = url.upload_url;
  for (let attempt = 1; ; attempt++) {
    try {
      await slack.within('export upload', async (signal) => {
        const res = await fetch(uploadUrl, { method: 'POST', body: bytes, signal });
        if (!res.ok) throw new Error(`the upload answered HTTP ${res.status}`);
        await res.arrayBuffer();
      });
      break;
    } catch (error) {
      if (attempt >= 2 || (isSlackCallError(error) && error.reason === 'shutdown')) throw error;
    }
  }
  await slack.call(
    'files.completeUploadExternal',
    {
      files: [{ id: url.file_id, title: file.filename }],
      channel_id: channel,
      initial_comment: renderExportComment(file),
    },
    { safe: false, key: channel, what: 'export share' },
  );
}

type PostTarget = Pick<CommandContext, 'slack' | 'channel' | 'respond'>;

async function postExport(ctx: PostTarget, file: ExportFile, deps: Deps): Promise<void> {
  try {
    await withSlowNotice(uploadFile(ctx.slack, ctx.channel, file), {
      afterMs: ctx.slack.policy.slowNoticeMs,
      notify: async () => {
        await ctx.respond(ephemeral(SLACK_SLOW));
      },
      onLateSuccess: async () => {
        await ctx.respond(
          ephemeral(
            message(`${file.filename} is posted.`, [
              section(`:white_check_mark: \`${file.filename}\` is posted.`),
            ]),
          ),
        );
      },
    });
    deps.logger.info(`Export ${file.filename} (${file.content.length} chars) posted to ${ctx.channel}.`);
  } catch (error) {
    deps.logger.warn(`Export ${file.filename} to ${ctx.channel} failed: ${describeError(error)}`);
    await ctx.respond(ephemeral(renderFailure(UPLOAD_FAILED, describeUploadFailure(error))));
  }
}

/**
 * The dashboard's "Tier 1 as CSV" button: the period's Tier 1 companies, posted as a file where the
 * button was clicked (the same path as `export companies <period> tier=1`).
 */
export async function postTier1Csv(
  target: PostTarget & { deps: Deps; team: string },
  periodKey: string,
): Promise<void> {
  await buildAndPost(target, parseExportArgs(['companies', ...(periodKey ? [periodKey] : []), 'tier=1']));
}

async function buildAndPost(
  ctx: PostTarget & { deps: Deps; team: string },
  request: ReturnType<typeof parseExportArgs>,
): Promise<void> {
  const { deps } = ctx;
  const job: ExportJob = {
    team: ctx.team,
    request,
    now: deps.now(),
    defaultTimeZone: deps.config.defaultTimeZone,
  };
  // In the heavy lane when there is one: an 800,000-row export never holds other users' acks.
  const file = deps.heavy
    ? ((await deps.heavy({ kind: 'export', job })) as ExportFile)
    : await buildExportFromStore(deps.store, job);
  if (file.runs === 0 || file.companies === 0) {
    await ctx.respond(ephemeral(renderNothingToExport(file)));
    return;
  }
  await postExport(ctx, file, deps);
}

export const exportSubcommand: Subcommand = {
  name: 'export',
  async handle(ctx) {
    // A bad request throws `bad_command` here, before the ack: the router answers with the usage.
    const request = parseExportArgs(ctx.args);
    await ctx.ack(ephemeral(renderExportAck(request)));
    await buildAndPost(ctx, request);
  },
};
