/** What Slack shows around an export: the instant answer, the file's comment, and the outcomes. */

import { escapeMrkdwn, message, type SlackMessage, section } from '../../blocks/kit.js';
import { formatInt } from '../../domain/format.js';
import { formatLocalDateTime } from '../../domain/time.js';
import { describeTierFilter } from './companies-csv.js';
import { describePeriodSpec, type ExportFormat, type ExportRequest } from './grammar.js';
import type { ExportFile } from './render-export.js';

const FORMAT_NAMES: Record<ExportFormat, string> = {
  json: 'dashboard JSON',
  csv: 'dashboard CSV',
  html: 'HTML report',
  companies: 'companies CSV',
};

/** The ack: the export is being built and will appear in the channel. */
export function renderExportAck(request: ExportRequest): SlackMessage {
  const tier = request.tier ? ` (${describeTierFilter(request.tier)})` : '';
  const text = `:hourglass_flowing_sand: Your ${FORMAT_NAMES[request.format]}${tier} for ${describePeriodSpec(request.period)} is on its way; it will be posted in this channel.`;
  return message(text, [section(text)]);
}

/** The one-line comment posted with the file: what it is, the period, the runs and when it was generated. */
export function renderExportComment(file: ExportFile): string {
  const tz = file.period.time_zone;
  const what =
    file.format === 'companies'
      ? `${formatInt(file.companies ?? 0)} ${file.tier ? `${describeTierFilter(file.tier)} ` : ''}companies`
      : FORMAT_NAMES[file.format];
  const runs = `${formatInt(file.runs)} run${file.runs === 1 ? '' : 's'}`;
  const at = `${formatLocalDateTime(new Date(file.generatedAt), tz)} ${tz}`;
  const warned =
    file.runsWithWarnings > 0
      ? ` · :warning: ${formatInt(file.runsWithWarnings)} run${file.runsWithWarnings === 1 ? '' : 's'} came with upload warnings (\`runs\` lists them)`
      : '';
  return `:page_facing_up: Apollo export: ${what} · ${escapeMrkdwn(file.period.label)} · ${runs} · generated ${at}${warned}`;
}

/** When there is nothing worth posting (no runs, or no company matches the tier). */
export function renderNothingToExport(file: ExportFile): SlackMessage {
  const label = escapeMrkdwn(file.period.label);
  const text =
    file.runs === 0
      ? `There are no runs in ${label}, so nothing was posted. Try a longer period such as \`all\`.`
      : `No ${file.tier ? `${describeTierFilter(file.tier)} ` : ''}companies in ${label}, so nothing was posted.`;
  return message(text, [section(`:information_source: ${text}`)]);
}
