/**
 * The offline report: the same dashboard model from run files, without Slack.
 *   apollo-dashboard report [--period P] [--format json|csv|html|companies] [--tier T] [--now ISO]
 *                           [--timezone TZ] [--rate-limit N] [--started-at ISO] [--out FILE] FILE…
 */

import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunAggregate } from './domain/aggregate.js';
import type { DashboardModel } from './domain/dashboard.js';
import type { Company } from './domain/model.js';
import {
  DEFAULT_PARSE_LIMITS,
  detectRunFormat,
  formatProblems,
  parseRunUpload,
} from './domain/parse-run/index.js';
import { parsePeriod } from './domain/period.js';
import type { RunMeta } from './domain/run-meta.js';
import { sortRunsNewestFirst } from './domain/run-meta.js';
import type { StoredSettings } from './domain/settings.js';
import { isValidTimeZone } from './domain/time.js';
import { AppError, isAppError } from './errors.js';
import { campaignUpdatesFromFile } from './features/campaigns/index.js';
import {
  buildExport,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportSource,
  TIER_FILTERS,
  type TierFilter,
} from './features/exports/index.js';
import { buildDashboard } from './services/dashboard.js';
import { buildRunRecord } from './services/ingest.js';

export const CLI_USAGE = `Usage: apollo-dashboard report [--period 7d|30d|90d|all|last|YYYY-MM-DD..YYYY-MM-DD]
                               [--format json|csv|html|companies] [--tier 1|2|3|qualified]
                               [--now ISO-8601] [--timezone IANA]
                               [--rate-limit N] [--started-at ISO-8601 (for CSV files)]
                               [--campaigns FILE (a JSON list of campaign updates)]
                               [--out FILE] FILE...
Computes the dashboard model from run files (JSON or Apollo CSV) and prints it: as JSON (default),
as CSV (one row per figure), as a self-contained HTML report, or the companies as CSV (--tier filters).
The bytes are those the Slack export would post for the same runs and --now.
`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Builds the model exactly as the Slack app would over a store holding these runs. */
export async function reportFromFiles(options: {
  files: readonly { name: string; text: string }[];
  period: string;
  now: Date;
  timeZone: string;
  rateLimit?: number;
  startedAt?: string;
  campaigns?: { name: string; text: string };
  warn?: (s: string) => void;
}): Promise<DashboardModel> {
  return buildDashboard({
    source: await sourceFromFiles(options),
    period: parsePeriod(options.period),
    now: options.now,
    defaultTimeZone: options.timeZone,
  });
}

/** What the Slack app's store would hold after ingesting these files, as an in-memory source. */
export async function sourceFromFiles(options: {
  files: readonly { name: string; text: string }[];
  now: Date;
  rateLimit?: number;
  startedAt?: string;
  /** A JSON list of campaign updates (`--campaigns`), as `POST /api/campaigns` takes them. */
  campaigns?: { name: string; text: string };
  /** Dates campaign updates without a `date` (default UTC). */
  timeZone?: string;
  warn?: (s: string) => void;
}): Promise<ExportSource> {
  const metas = new Map<string, RunMeta>();
  const aggregates = new Map<string, RunAggregate>();
  const companies = new Map<string, Company[]>();
  for (const file of options.files) {
    const format = detectRunFormat({ text: file.text, filename: file.name });
    let run: ReturnType<typeof parseRunUpload>;
    try {
      run = parseRunUpload(
        // --started-at is for CSV files, which carry no date; a JSON run keeps its own started_at.
        {
          text: file.text,
          format,
          ...(options.startedAt && format === 'csv' ? { started_at: options.startedAt } : {}),
        },
        DEFAULT_PARSE_LIMITS,
      );
    } catch (error) {
      if (isAppError(error)) {
        throw new AppError(error.code, `${file.name}: ${error.message}`, {
          problems: error.problems,
          unlisted: error.unlisted,
        });
      }
      throw error;
    }
    const record = buildRunRecord(run, { source: 'file', now: options.now });
    if (metas.has(run.run_id))
      options.warn?.(`${file.name}: run ${run.run_id} replaces an earlier file with the same run_id.\n`);
    metas.set(run.run_id, record.meta);
    aggregates.set(run.run_id, record.aggregate);
    companies.set(run.run_id, run.companies);
  }
  const settings: StoredSettings = {};
  if (options.rateLimit !== undefined) {
    settings.rate_limit = { value: options.rateLimit, set_by: 'cli', set_at: options.now.toISOString() };
  }
  return {
    runs: sortRunsNewestFirst([...metas.values()]),
    settings,
    loadAggregates: async (ids) => ids.flatMap((id) => aggregates.get(id) ?? []),
    loadCompanies: async (id) => companies.get(id) ?? null,
    campaigns: options.campaigns
      ? campaignUpdatesFromFile(options.campaigns, { now: options.now, timeZone: options.timeZone ?? 'UTC' })
      : [],
  };
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'report') {
    io.stderr(CLI_USAGE);
    return verb === undefined || verb === '--help' || verb === 'help' ? 0 : 2;
  }
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs(rest);
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${CLI_USAGE}`);
    return 2;
  }
  try {
    const files = await Promise.all(
      args.files.map(async (path) => ({ name: basename(path), text: await readFile(path, 'utf8') })),
    );
    const campaigns = args.campaignsFile
      ? { name: basename(args.campaignsFile), text: await readFile(args.campaignsFile, 'utf8') }
      : undefined;
    const file = await buildExport({
      source: await sourceFromFiles({ ...args, files, ...(campaigns ? { campaigns } : {}), warn: io.stderr }),
      request: { format: args.format, period: parsePeriod(args.period), tier: args.tier },
      now: args.now,
      defaultTimeZone: args.timeZone,
    });
    if (args.out) await writeFile(args.out, file.content);
    else io.stdout(file.content);
    return 0;
  } catch (error) {
    if (isAppError(error)) {
      io.stderr(
        `${error.message}\n${error.problems.length ? `${formatProblems(error.problems, 5, error.unlisted)}\n` : ''}`,
      );
      return error.code === 'upload_invalid' ||
        error.code === 'upload_too_large' ||
        error.code === 'bad_command'
        ? 1
        : 2;
    }
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

function parseCliArgs(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      period: { type: 'string', default: '7d' },
      format: { type: 'string', default: 'json' },
      tier: { type: 'string' },
      now: { type: 'string' },
      timezone: { type: 'string', default: 'UTC' },
      'rate-limit': { type: 'string' },
      'started-at': { type: 'string' },
      out: { type: 'string' },
      campaigns: { type: 'string' },
    },
  });
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) {
    throw new Error(`--format ${values.format} is not supported; use ${EXPORT_FORMATS.join(', ')}.`);
  }
  const tier = (values.tier ?? null) as TierFilter | null;
  if (tier !== null && (format !== 'companies' || !TIER_FILTERS.includes(tier))) {
    throw new Error(`--tier ${values.tier}: use 1, 2, 3 or qualified, with --format companies.`);
  }
  if (positionals.length === 0) throw new Error('Name at least one run file.');
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new Error(`--now ${values.now} is not an ISO-8601 time.`);
  if (!isValidTimeZone(values.timezone))
    throw new Error(`--timezone ${values.timezone} is not an IANA time zone.`);
  const rateLimit = values['rate-limit'] === undefined ? undefined : Number(values['rate-limit']);
  if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit < 1)) {
    throw new Error('--rate-limit must be a whole number of requests per minute.');
  }
  parsePeriod(values.period);
  return {
    files: positionals,
    period: values.period,
    format,
    tier,
    now,
    timeZone: values.timezone,
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(values['started-at'] ? { startedAt: values['started-at'] } : {}),
    ...(values.out ? { out: values.out } : {}),
    ...(values.campaigns ? { campaignsFile: values.campaigns } : {}),
  };
}
