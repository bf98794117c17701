/**
 * `/apollo-dashboard export <json|csv|html|companies> [period] [tier=…]`: answers at once that the
 * export is on its way, then builds the file and posts it to the channel with Slack's upload flow
 * (files.getUploadURLExternal, the upload, files.completeUploadExternal; `files.uploadV2`). The
 * file and its comment appear together in the last step, so a failure never leaves half a post.
 */

import { renderFailure } from '../../blocks/help.js';
import type { Deps } from '../../slack/deps.js';
import { describeError, notInChannelHint, slackErrorCode } from '../../slack/errors.js';
import { ephemeral } from '../../slack/reply.js';
import type { CommandContext, Subcommand } from '../../slack/router.js';
import { parseExportArgs } from './grammar.js';
import { renderExportAck, renderExportComment, renderNothingToExport } from './messages.js';
import type { ExportFile } from './render-export.js';
import { buildExport, storeExportSource } from './service.js';

const UPLOAD_FAILED = 'Could not post the export.';

/** Why an upload failed, in words the user can act on. */
export function describeUploadFailure(error: unknown): string {
  const code = slackErrorCode(error);
  const hint = notInChannelHint(code);
  if (hint) return hint;
  if (code) return `Slack refused the file (\`${code}\`). Nothing was posted.`;
  return 'The upload to Slack did not go through. Nothing was posted; try again in a moment.';
}

type PostTarget = Pick<CommandContext, 'client' | 'channel' | 'respond'>;

async function postExport(ctx: PostTarget, file: ExportFile, deps: Deps): Promise<void> {
  try {
    await ctx.client.files.uploadV2({
      channel_id: ctx.channel,
      file: Buffer.from(file.content, 'utf8'),
      filename: file.filename,
      title: file.filename,
      initial_comment: renderExportComment(file),
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
  const file = await buildExport({
    source: await storeExportSource(deps.store, ctx.team),
    request,
    now: deps.now(),
    defaultTimeZone: deps.config.defaultTimeZone,
  });
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
