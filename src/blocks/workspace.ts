/** Replies about the workspace itself: its ingest keys and deleting its data. */

import { formatLocalDateTime } from '../domain/time.js';
import { COMMAND, INGEST_CAMPAIGNS_PATH, INGEST_RUNS_PATH } from '../ids.js';
import { context, escapeMrkdwn, header, message, type SlackMessage, section } from './kit.js';

export function renderNewIngestKey(key: string): SlackMessage {
  return message('New ingest key (shown once).', [
    header('New ingest key'),
    section(`\`${key}\``),
    context([
      `Shown once: copy it into your pipeline now; only its prefix is kept. Send it as \`Authorization: Bearer <key>\` to \`${INGEST_RUNS_PATH}\` and \`${INGEST_CAMPAIGNS_PATH}\`; it writes into this workspace only.`,
    ]),
  ]);
}

export function renderIngestKeyList(
  keys: ReadonlyArray<{ prefix: string; created_at: string; created_by: string }>,
  timeZone: string,
): SlackMessage {
  if (keys.length === 0)
    return message('No ingest keys.', [
      section(`*No ingest keys.* Create one with \`${COMMAND} settings ingest-key new\`.`),
    ]);
  const lines = keys.map(
    (k) =>
      `• \`${escapeMrkdwn(k.prefix)}…\` created ${formatLocalDateTime(new Date(k.created_at), timeZone)} by <@${escapeMrkdwn(k.created_by)}>`,
  );
  return message(`${keys.length} ingest keys.`, [
    header(`Ingest keys (${keys.length})`),
    section(lines.join('\n')),
    context([`Times in ${timeZone}. Revoke one with \`${COMMAND} settings ingest-key revoke <prefix>\`.`]),
  ]);
}

export function renderIngestKeyRevoked(prefix: string): SlackMessage {
  return message(`Ingest key ${prefix} revoked.`, [
    section(`:white_check_mark: Ingest key \`${escapeMrkdwn(prefix)}…\` revoked: it is refused from now on.`),
  ]);
}

export function renderDeleteDataWarning(): SlackMessage {
  return message('Delete this workspace’s data?', [
    section(
      `:warning: This deletes every run, setting, alert, digest and campaign update of this workspace, at once and for good. The installation and the ingest keys stay. To go ahead: \`${COMMAND} settings delete-data confirm\`.`,
    ),
  ]);
}

export function renderDataDeleted(): SlackMessage {
  return message('This workspace’s data was deleted.', [
    section(
      ':white_check_mark: Every run, setting, alert, digest and campaign update of this workspace was deleted.',
    ),
  ]);
}
