/**
 * One export file from the dashboard model (and, for `companies`, the period's companies): the
 * bytes, the file name and what it holds. Pure, so Slack and the offline report produce the same
 * bytes for the same data and generation time.
 */
import type { DashboardModel } from '../../domain/dashboard.js';
import type { PeriodInfo } from '../../domain/period.js';
import { formatLocalDate } from '../../domain/time.js';
import { type CompanyRow, renderCompaniesCsv, selectCompanyRows, type TierFilter } from './companies-csv.js';
import { renderDashboardCsv } from './dashboard-csv.js';
import type { ExportFormat } from './grammar.js';
import { renderDashboardHtml } from './html-report.js';

export interface ExportFile {
  format: ExportFormat;
  filename: string;
  /** Slack's file type for the upload. */
  filetype: 'json' | 'csv' | 'html';
  content: string;
  period: PeriodInfo;
  runs: number;
  generatedAt: string;
  tier: TierFilter | null;
  /** Companies exported (the `companies` format only). */
  companies: number | null;
  /** Runs of the period whose uploads came with warnings (noted in the file's comment). */
  runsWithWarnings: number;
}

/** The dashboard model as JSON: the offline report's contract, with the period and generation time. */
export function renderDashboardJson(model: DashboardModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

function slug(text: string): string {
  return text
    .replaceAll('..', '_to_')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

export function exportFilename(options: {
  format: ExportFormat;
  model: DashboardModel;
  tier: TierFilter | null;
}): string {
  const { format, model, tier } = options;
  const date = formatLocalDate(new Date(model.generated_at), model.period.time_zone);
  const what = format === 'companies' ? 'apollo-companies' : 'apollo-dashboard';
  const parts = [what, slug(model.period.key), ...(tier ? [`tier-${tier}`] : []), date];
  const ext = format === 'json' ? 'json' : format === 'html' ? 'html' : 'csv';
  return `${parts.join('_')}.${ext}`;
}

export function renderExport(input: {
  format: ExportFormat;
  model: DashboardModel;
  tier?: TierFilter | null;
  /** Every company of the period's runs (the `companies` format). */
  companies?: readonly CompanyRow[];
}): ExportFile {
  const { format, model } = input;
  const tier = format === 'companies' ? (input.tier ?? null) : null;
  let content: string;
  let companies: number | null = null;
  switch (format) {
    case 'json':
      content = renderDashboardJson(model);
      break;
    case 'csv':
      content = renderDashboardCsv(model);
      break;
    case 'html':
      content = renderDashboardHtml(model);
      break;
    case 'companies': {
      const rows = selectCompanyRows(input.companies ?? [], tier);
      companies = rows.length;
      content = renderCompaniesCsv(rows);
      break;
    }
  }
  return {
    format,
    filename: exportFilename({ format, model, tier }),
    filetype: format === 'json' ? 'json' : format === 'html' ? 'html' : 'csv',
    content,
    period: model.period,
    runs: model.runs.count,
    generatedAt: model.generated_at,
    tier,
    companies,
    runsWithWarnings: model.upload_warnings.runs_with_warnings,
  };
}
