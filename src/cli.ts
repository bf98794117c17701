/**
 * The offline report: the same dashboard model from run files, without Slack.
 *   apollo-dashboard report [--period P] [--format json|csv|html|companies] [--tier T] [--now ISO]
 *                           [--timezone TZ] [--rate-limit N] [--started-at ISO] [--out FILE] FILE…
 */

import { readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunAggregate } from './domain/aggregate.js';
import type { DashboardModel } from './domain/dashboard.js';
import type { Company } from './domain/model.js';
// Not parse-run/index.js: a valid JSON run is read without loading zod or the CSV reader (lazy.ts).
import { readUploadLazily } from './domain/parse-run/lazy.js';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './domain/parse-run/limits.js';
import { formatProblems } from './domain/parse-run/problems.js';
import type { RunReading } from './domain/parse-run/reading.js';
import { parsePeriod } from './domain/period.js';
import { parseScoreScale, type ScoreScale } from './domain/read/score-scale.js';
import type { RunMeta } from './domain/run-meta.js';
import { sortRunsNewestFirst } from './domain/run-meta.js';
import type { StoredSettings } from './domain/settings.js';
import { isValidTimeZone } from './domain/time.js';
import { AppError, isAppError } from './errors.js';
import {
  buildExport,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportSource,
  TIER_FILTERS,
  type TierFilter,
} from './features/exports/index.js';
import { buildDashboard } from './services/dashboard.js';
import { recordOfReading } from './services/run-record.js';

export const CLI_USAGE = `Usage: apollo-dashboard report [--period 7d|30d|90d|all|last|YYYY-MM-DD..YYYY-MM-DD]
                               [--format json|csv|html|companies] [--tier 1|2|3|qualified]
                               [--now ISO-8601] [--timezone IANA]
                               [--rate-limit N] [--started-at ISO-8601] [--score-scale 0-100|0-1]
                               [--max-upload-mb N] [--campaigns FILE (a JSON list of campaign updates)]
                               [--out FILE] FILE...
       apollo-dashboard --help
Computes the dashboard model from run files (JSON runs, Apollo CSV exports of companies or people,
Apollo API answers) and prints it: as JSON (default), as CSV (one row per figure), as a self-contained
HTML report, or the companies as CSV (--tier filters). The bytes are those the Slack export would post
for the same runs and --now.
  --started-at     the run date of files that carry none (CSV exports, Apollo answers); without it such
                   a file is dated from its modification time, and stderr says so
  --score-scale    0-1 when the scores are fractions (they are multiplied by 100)
  --max-upload-mb  refuse files larger than this (default: no limit for local files)
Warnings about a file (a People export, an encoding, a missing score column) go to stderr.
`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** A run file: its bytes (or text), and its modification time to date a file that carries no date. */
export interface RunFile {
  name: string;
  text?: string;
  bytes?: Uint8Array;
  mtime?: Date;
}

/** Builds the model exactly as the Slack app would over a store holding these runs. */
export async function reportFromFiles(options: {
  files: readonly RunFile[];
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
  files: readonly RunFile[];
  now: Date;
  rateLimit?: number;
  startedAt?: string;
  scoreScale?: ScoreScale;
  /** Default: no size limit (local files). */
  limits?: ParseLimits;
  /** A JSON list of campaign updates (`--campaigns`), as `POST /api/campaigns` takes them. */
  campaigns?: { name: string; text: string };
  /** Dates campaign updates without a `date` (default UTC). */
  timeZone?: string;
  warn?: (s: string) => void;
}): Promise<ExportSource> {
  const metas = new Map<string, RunMeta>();
  const aggregates = new Map<string, RunAggregate>();
  const companies = new Map<string, Company[]>();
  const limits = options.limits ?? { ...DEFAULT_PARSE_LIMITS, maxBytes: Number.POSITIVE_INFINITY };
  for (const file of options.files) {
    const dated = options.startedAt ?? file.mtime?.toISOString();
    let reading: RunReading;
    try {
      reading = await readUploadLazily(
        {
          bytes: file.bytes ?? Buffer.from(file.text ?? '', 'utf8'),
          filename: file.name,
          // The run date of a file that carries none: --started-at, else the file's modification time.
          ...(dated === undefined ? {} : { default_started_at: dated }),
          ...(options.scoreScale === undefined ? {} : { score_scale: options.scoreScale }),
        },
        limits,
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
    const { run } = reading;
    if (options.startedAt === undefined && file.mtime && run.started_at === file.mtime.toISOString()) {
      options.warn?.(
        `${file.name}: no run date in the file; dated from its modification time, ${run.started_at} (--started-at sets one).\n`,
      );
    }
    for (const warning of reading.warnings) options.warn?.(`${file.name}: warning: ${warning.message}\n`);
    const record = recordOfReading(reading, { source: 'file', now: options.now });
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
    // Loaded only when asked for: a report without --campaigns does not load the feature.
    campaigns: options.campaigns
      ? (await import('./features/campaigns/index.js')).campaignUpdatesFromFile(options.campaigns, {
          now: options.now,
          timeZone: options.timeZone ?? 'UTC',
        })
      : [],
  };
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [verb, ...rest] = argv;
  if (
    verb === '--help' ||
    verb === '-h' ||
    verb === 'help' ||
    rest.includes('--help') ||
    rest.includes('-h')
  ) {
    io.stdout(CLI_USAGE);
    return 0;
  }
  if (verb !== 'report') {
    io.stderr(CLI_USAGE);
    return verb === undefined ? 0 : 2;
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
      args.files.map(async (path) => {
        // Read at once: the promise API reads a large file in small chunks, each a round trip to the thread pool.
        const bytes = readFileSync(path);
        const info = statSync(path);
        if (args.maxBytes !== undefined && bytes.length > args.maxBytes) {
          throw new AppError(
            'upload_too_large',
            `${basename(path)} is ${(bytes.length / 1048576).toFixed(1)} MiB; --max-upload-mb is ${args.maxBytes / 1048576}.`,
          );
        }
        return { name: basename(path), bytes, mtime: info.mtime };
      }),
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
      'score-scale': { type: 'string' },
      'max-upload-mb': { type: 'string' },
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
  const scoreScale = values['score-scale'] === undefined ? undefined : parseScoreScale(values['score-scale']);
  if (values['score-scale'] !== undefined && scoreScale === undefined) {
    throw new Error(`--score-scale ${values['score-scale']}: use 0-100 or 0-1.`);
  }
  const maxMb = values['max-upload-mb'] === undefined ? undefined : Number(values['max-upload-mb']);
  if (maxMb !== undefined && !(maxMb > 0))
    throw new Error('--max-upload-mb must be a number of MiB above 0.');
  return {
    files: positionals,
    period: values.period,
    format,
    tier,
    now,
    timeZone: values.timezone,
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(values['started-at'] ? { startedAt: values['started-at'] } : {}),
    ...(scoreScale ? { scoreScale } : {}),
    ...(maxMb !== undefined ? { maxBytes: Math.floor(maxMb * 1048576) } : {}),
    ...(values.out ? { out: values.out } : {}),
    ...(values.campaigns ? { campaignsFile: values.campaigns } : {}),
  };
}
