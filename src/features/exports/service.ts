/** Loading what an export needs and rendering it: shared by the Slack `export` command and the offline report. */

import { formatInt } from '../../domain/format.js';
import type { Company } from '../../domain/model.js';
import { selectPeriod } from '../../domain/period.js';
import { resolveSettings } from '../../domain/settings.js';
import { AppError } from '../../errors.js';
import { buildDashboard, type DashboardSource, storeDashboardSource } from '../../services/dashboard.js';
import type { Store } from '../../store/store.js';
import type { CompanyRow } from './companies-csv.js';
import type { ExportRequest } from './grammar.js';
import { type ExportFile, renderExport } from './render-export.js';

export interface ExportSource extends DashboardSource {
  /** Every company of a run; null when the run is gone. */
  loadCompanies(runId: string): Promise<Company[] | null>;
}

/** Most companies one companies export holds (about 100 MB of CSV); beyond it, narrow the period or tier. */
export const MAX_EXPORT_COMPANIES = 1_000_000;

export async function buildExport(options: {
  source: ExportSource;
  request: ExportRequest;
  now: Date;
  defaultTimeZone: string;
  maxCompanies?: number;
}): Promise<ExportFile> {
  const { source, request, now } = options;
  // The very model the dashboard shows, whatever sections it grows.
  const model = await buildDashboard({
    source,
    period: request.period,
    now,
    defaultTimeZone: options.defaultTimeZone,
  });
  if (request.format !== 'companies') return renderExport({ format: request.format, model });

  // The same runs buildDashboard chose: same settings, period and clock.
  const settings = resolveSettings(source.settings, { timeZone: options.defaultTimeZone });
  const selection = selectPeriod(request.period, source.runs, { now, timeZone: settings.timezone });

  const limit = options.maxCompanies ?? MAX_EXPORT_COMPANIES;
  const total = selection.current.reduce((n, r) => n + r.headline.companies, 0);
  if (total > limit) {
    throw new AppError(
      'bad_command',
      `${selection.period.label} holds ${formatInt(total)} companies, more than the ${formatInt(limit)} one export can hold. Choose a shorter period.`,
    );
  }
  const rows: CompanyRow[] = [];
  for (const run of selection.current) {
    const companies = await source.loadCompanies(run.run_id);
    if (companies === null) {
      throw new AppError('not_found', `Run ${run.run_id} was deleted during the export; try again.`);
    }
    for (const company of companies) rows.push({ run_id: run.run_id, company });
  }
  return renderExport({ format: 'companies', model, tier: request.tier, companies: rows });
}

export async function storeExportSource(store: Store, team: string): Promise<ExportSource> {
  const source = await storeDashboardSource(store, team);
  return { ...source, loadCompanies: (runId) => store.getCompanies(team, runId) };
}

/** What building an export needs besides the store: plain data, so it can be posted to a worker thread. */
export interface ExportJob {
  team: string;
  request: ExportRequest;
  now: Date;
  defaultTimeZone: string;
}

/** An export read from the store and rendered (runs in the heavy lane). */
export async function buildExportFromStore(store: Store, job: ExportJob): Promise<ExportFile> {
  return buildExport({
    source: await storeExportSource(store, job.team),
    request: job.request,
    now: job.now,
    defaultTimeZone: job.defaultTimeZone,
  });
}
