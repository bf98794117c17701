/** The upload modal and the upload result message. */
import type { KnownBlock, View } from '@slack/types';
import { formatInt, formatPercent } from '../domain/format.js';
import type { RunMeta } from '../domain/run-meta.js';
import type { FieldProblem } from '../errors.js';
import { ACTIONS, BLOCKS, COMMAND, VIEWS } from '../ids.js';
import { context, escapeMrkdwn, LIMITS, message, type SlackMessage, section, truncate } from './kit.js';

export interface UploadModalMetadata {
  channel_id: string;
}

export function renderUploadModal(meta: UploadModalMetadata): View {
  const blocks: KnownBlock[] = [
    section(
      'Upload one run of the Find Accounts workflow: a JSON run or an Apollo CSV export with `ICP Score`, `Tier` and `Campaign` columns. *One of the two is required*: attach a file, or paste a small one.',
    ),
    {
      type: 'input',
      block_id: BLOCKS.uploadFile,
      optional: true,
      label: { type: 'plain_text', text: 'Run file (JSON or CSV)' },
      hint: { type: 'plain_text', text: 'Required unless you paste the run below.' },
      element: {
        type: 'file_input',
        action_id: ACTIONS.uploadFile,
        filetypes: ['json', 'csv', 'text'],
        max_files: 1,
      },
    },
    {
      type: 'input',
      block_id: BLOCKS.uploadPaste,
      optional: true,
      label: { type: 'plain_text', text: 'Or paste JSON / CSV' },
      hint: { type: 'plain_text', text: 'Required unless you attach a file above.' },
      element: {
        type: 'plain_text_input',
        action_id: ACTIONS.uploadPaste,
        multiline: true,
        max_length: 3000,
        placeholder: {
          type: 'plain_text',
          text: '{"started_at": "2026-11-02T08:00:00Z", "companies": [...]}',
        },
      },
    },
    {
      type: 'input',
      block_id: BLOCKS.uploadDate,
      optional: true,
      label: { type: 'plain_text', text: 'Run date (when the file has none; default: now)' },
      element: { type: 'datepicker', action_id: ACTIONS.uploadDate },
    },
    {
      type: 'input',
      block_id: BLOCKS.uploadScale,
      optional: true,
      label: { type: 'plain_text', text: 'Score scale' },
      element: {
        type: 'checkboxes',
        action_id: ACTIONS.uploadScale,
        options: [
          {
            text: { type: 'plain_text', text: 'Scores are 0-1 fractions (multiply by 100)' },
            value: '0-1',
          },
        ],
      },
    },
    {
      type: 'input',
      block_id: BLOCKS.uploadRunId,
      optional: true,
      label: { type: 'plain_text', text: 'Run id (same id replaces a run)' },
      element: { type: 'plain_text_input', action_id: ACTIONS.uploadRunId, max_length: 100 },
    },
    {
      type: 'input',
      block_id: BLOCKS.uploadLabel,
      optional: true,
      label: { type: 'plain_text', text: 'Label' },
      element: { type: 'plain_text_input', action_id: ACTIONS.uploadLabel, max_length: 200 },
    },
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.upload,
    title: { type: 'plain_text', text: 'Upload a run' },
    submit: { type: 'plain_text', text: 'Upload' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: truncate(JSON.stringify(meta), LIMITS.privateMetadata),
    blocks,
  };
}

export function describeRun(meta: RunMeta): string {
  const h = meta.headline;
  const contacts =
    meta.contact_rows === undefined
      ? ''
      : `${formatInt(meta.contact_rows)} contact ${meta.contact_rows === 1 ? 'row' : 'rows'}, `;
  return `${contacts}${formatInt(h.companies)} ${h.companies === 1 ? 'company' : 'companies'}, ${formatInt(h.qualified)} qualified (${formatPercent(h.companies > 0 ? h.qualified / h.companies : null)}), ${formatInt(h.tier_1)} Tier 1, ${formatInt(h.api_total)} API calls`;
}

export function renderUploadResult(result: {
  meta: RunMeta;
  replaced: RunMeta | null;
  source: string;
}): SlackMessage {
  const { meta, replaced } = result;
  const title = `Run ${meta.run_id} stored: ${describeRun(meta)}.`;
  const blocks: KnownBlock[] = [
    section(
      `:white_check_mark: *Run \`${escapeMrkdwn(meta.run_id)}\` stored* (${escapeMrkdwn(result.source)})${meta.label ? ` · ${escapeMrkdwn(meta.label)}` : ''}\n${describeRun(meta)}.`,
    ),
  ];
  if (replaced) {
    blocks.push(
      context([
        `It replaced the earlier upload of the same run id (${describeRun(replaced)}); nothing is counted twice.`,
      ]),
    );
  }
  const warnings = meta.warnings ?? [];
  if (warnings.length > 0) {
    blocks.push(section(warnings.map((w) => `:warning: ${escapeMrkdwn(w.message)}`).join('\n')));
  }
  blocks.push(context([`See it with \`${COMMAND} last\`.`]));
  const text = replaced ? `${title} It replaced the earlier upload.` : title;
  return message(
    warnings.length > 0
      ? `${text} ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}.`
      : text,
    blocks,
  );
}

function problemLine(p: FieldProblem): string {
  const where = [p.where, p.field].filter(Boolean).join(', ');
  return `• ${where ? `*${escapeMrkdwn(where)}*: ` : ''}${escapeMrkdwn(p.message)}`;
}

export function renderUploadErrors(options: {
  source: string;
  summary: string;
  problems: FieldProblem[];
}): SlackMessage {
  const max = 8;
  const lines = options.problems.slice(0, max).map(problemLine);
  if (options.problems.length > max) lines.push(`_…and ${options.problems.length - max} more problems_`);
  return message(`Upload rejected (${options.source}): ${options.summary} Nothing was stored.`, [
    section(
      `:x: *Upload rejected* (${escapeMrkdwn(options.source)}): ${escapeMrkdwn(options.summary)} Nothing was stored.`,
    ),
    ...(lines.length > 0 ? [section(lines.join('\n'))] : []),
    context([`Run formats are in docs/run-formats.md; \`${COMMAND} help\` lists the commands.`]),
  ]);
}
