/** The upload modal's submission: check the form, close it at once, then fetch, validate and store. */
import type { App, ViewStateValue } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { renderFailure } from '../blocks/help.js';
import { renderUploadErrors, renderUploadResult, type UploadModalMetadata } from '../blocks/upload.js';
import type { UploadInput } from '../domain/parse-run/index.js';
import { parseLocalDate, zonedTimeToUtc } from '../domain/time.js';
import { type UploadFormField, validateUploadForm } from '../domain/upload-form.js';
import { AppError, isAppError, userMessageOf } from '../errors.js';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.js';
import { ingestRun } from '../services/ingest.js';
import type { SlackDelivery } from './delivery.js';
import type { Deps, RunStoredEvent } from './deps.js';
import { describeError } from './errors.js';
import { loadSettings, teamOf } from './payload.js';
import { tellUser } from './reply.js';

const FORM_BLOCKS: Record<UploadFormField, string> = {
  file: BLOCKS.uploadFile,
  paste: BLOCKS.uploadPaste,
  run_id: BLOCKS.uploadRunId,
};

interface SlackFile {
  id?: string;
  name?: string;
  filetype?: string;
  mimetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

type StateValues = Record<string, Record<string, ViewStateValue & { files?: SlackFile[] }>>;

function stateValue(values: StateValues, block: string, action: string) {
  return values[block]?.[action];
}

/** Slack's file hosts: the bot token is sent to these (and to the configured API host) only. */
const SLACK_FILE_HOSTS = ['files.slack.com', 'files-edu.slack.com', 'files-gov.slack.com'];

/** Whether `url` is one of Slack's file hosts over https, or on the configured SLACK_API_URL's origin. */
export function isSlackFileUrl(url: string, apiUrl: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === 'https:' && SLACK_FILE_HOSTS.includes(parsed.hostname) && parsed.port === '')
    return true;
  if (apiUrl === undefined) return false;
  try {
    return new URL(apiUrl).origin === parsed.origin;
  } catch {
    return false;
  }
}

/**
 * Downloads a file the user attached, with the bot token, refusing more than `maxBytes`. The token
 * goes to Slack's file hosts only: any other URL is refused (and logged) without a request.
 */
export async function downloadSlackFile(
  file: SlackFile,
  options: {
    token: string;
    maxBytes: number;
    apiUrl: string | undefined;
    logger: Deps['logger'];
    slack: SlackDelivery;
  },
): Promise<Buffer> {
  const { token, maxBytes } = options;
  const url = file.url_private_download ?? file.url_private;
  if (!url) throw new AppError('upload_invalid', 'Slack did not give a download link for the file.');
  if (!isSlackFileUrl(url, options.apiUrl)) {
    let host = 'an unreadable URL';
    try {
      host = new URL(url).host;
    } catch {
      // keep the placeholder
    }
    options.logger.warn(`Refused to fetch an upload from ${host}: not a Slack file host; no token sent.`);
    throw new AppError('upload_invalid', 'The file link is not on Slack’s file servers; it was not fetched.');
  }
  if (file.size !== undefined && file.size > maxBytes) {
    throw new AppError(
      'upload_too_large',
      `The file is ${(file.size / 1048576).toFixed(1)} MiB; the limit is ${(maxBytes / 1048576).toFixed(0)} MiB.`,
    );
  }
  const bytes = await options.slack.within(
    'file download',
    async (signal) => {
      // No redirects: a redirect could carry the token elsewhere.
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${token}` },
        redirect: 'error',
        signal,
      });
      if (!res.ok)
        throw new AppError('upload_invalid', `Slack refused the file download (HTTP ${res.status}).`);
      return Buffer.from(await res.arrayBuffer());
    },
    options.slack.policy.totalMs,
  );
  if (bytes.length > maxBytes) {
    throw new AppError(
      'upload_too_large',
      `The file is over the ${(maxBytes / 1048576).toFixed(0)} MiB limit.`,
    );
  }
  return bytes;
}

export function registerUploadView(
  app: App,
  deps: Deps,
  options: {
    onStored: (event: RunStoredEvent) => Promise<void>;
    slack: (client: WebClient) => SlackDelivery;
  },
): void {
  app.view(VIEWS.upload, async ({ ack, view, body, client }) => {
    const slack = options.slack(client);
    const values = view.state.values as StateValues;
    const files = stateValue(values, BLOCKS.uploadFile, ACTIONS.uploadFile)?.files ?? [];
    const pasted = stateValue(values, BLOCKS.uploadPaste, ACTIONS.uploadPaste)?.value?.trim() ?? '';
    const date = stateValue(values, BLOCKS.uploadDate, ACTIONS.uploadDate)?.selected_date ?? undefined;
    const runId = stateValue(values, BLOCKS.uploadRunId, ACTIONS.uploadRunId)?.value?.trim() || undefined;
    const label = stateValue(values, BLOCKS.uploadLabel, ACTIONS.uploadLabel)?.value?.trim() || undefined;
    const fractions = (
      stateValue(values, BLOCKS.uploadScale, ACTIONS.uploadScale)?.selected_options ?? []
    ).some((o) => o.value === '0-1');
    const file = files[0];
    const problem = validateUploadForm({ hasFile: file !== undefined, pasted, runId });
    if (problem) {
      await ack({ response_action: 'errors', errors: { [FORM_BLOCKS[problem.field]]: problem.message } });
      return;
    }
    await ack();

    const user = body.user.id;
    const team = teamOf(body);
    let meta: Partial<UploadModalMetadata> = {};
    try {
      meta = JSON.parse(view.private_metadata || '{}') as UploadModalMetadata;
    } catch {
      meta = {};
    }
    const target = { user, ...(meta.channel_id ? { channel: meta.channel_id } : {}) };
    const sourceName = file ? `file ${file.name ?? 'upload'}` : 'pasted text';
    try {
      const bytes = file
        ? await downloadSlackFile(file, {
            token: client.token ?? '',
            maxBytes: deps.config.limits.maxBytes,
            apiUrl: deps.config.slackApiUrl,
            logger: deps.logger,
            slack,
          })
        : Buffer.from(pasted, 'utf8');
      const settings = await loadSettings(deps, team);
      const day = date ? parseLocalDate(date) : null;
      // The form's run date (or now) dates an upload that carries none: a CSV, or one of Apollo's answers.
      const upload: UploadInput = {
        bytes,
        ...(file?.name ? { filename: file.name } : {}),
        ...(file?.mimetype ? { contentType: file.mimetype } : {}),
        default_started_at: day
          ? zonedTimeToUtc(day, settings.timezone).toISOString()
          : deps.now().toISOString(),
      };
      if (runId) upload.run_id = runId;
      if (label) upload.label = label;
      if (fractions) upload.score_scale = '0-1';
      const result = await ingestRun({
        store: deps.store,
        team,
        upload,
        limits: deps.config.limits,
        ...(deps.prepareRun ? { prepare: deps.prepareRun } : {}),
        source: 'slack',
        uploadedBy: user,
        now: deps.now(),
        onStored: (runId, stored) => options.onStored({ team, runId, result: stored }),
      });
      const format = result.reading.format;
      deps.logger.info(`Stored run ${result.meta.run_id} for ${team} from ${sourceName} (${format}).`);
      await tellUser(slack, deps.logger, target, renderUploadResult({ ...result, source: sourceName }));
    } catch (error) {
      const msg =
        isAppError(error, 'upload_invalid') || isAppError(error, 'upload_too_large')
          ? renderUploadErrors({ source: sourceName, summary: error.message, problems: error.problems })
          : renderFailure('The upload failed and nothing was stored.', userMessageOf(error));
      if (!isAppError(error, 'upload_invalid')) deps.logger.error(`Upload failed: ${describeError(error)}`);
      try {
        await tellUser(slack, deps.logger, target, msg);
      } catch (e) {
        deps.logger.error(`Could not tell ${user} about their upload: ${describeError(e)}`);
      }
    }
  });
}
