/**
 * The measured workloads, each run in its own process (forked by run.ts) so timings and memory are
 * those of a process doing only that work. The task arrives as the first IPC message; the result
 * goes back the same way.
 */
import { readFile } from 'node:fs/promises';
import { createApp } from '../src/app.js';
import { renderDashboardMessage } from '../src/blocks/dashboard.js';
import { loadConfig } from '../src/config.js';
import type { DashboardModel } from '../src/domain/dashboard.js';
import { round } from '../src/domain/format.js';
import { DEFAULT_PARSE_LIMITS, type RunFormat, readUpload } from '../src/domain/parse-run/index.js';
import { createLogger } from '../src/logger.js';
import { buildDashboard, storeDashboardSource } from '../src/services/dashboard.js';
import { buildRunRecord, ingestRun } from '../src/services/ingest.js';
import { openStore } from '../src/store/open-store.js';
import { generateRun } from './data.js';
import { MIB, since } from './stats.js';

export const TEAM = 'T_BENCH';
export const BOT_TOKEN = 'xoxb-bench-bot-token';
export const SIGNING_SECRET = 'bench-signing-secret-0123456789';

export type Task =
  | {
      kind: 'ingest';
      file: string;
      format: RunFormat;
      startedAt?: string;
      storeUrl: string;
      warmup: number;
      reps: number;
      /** Also time a bare JSON.parse of the file before each ingest. */
      floor: boolean;
      /** Time readUpload, buildRunRecord and saveRun separately instead of ingestRun as a whole. */
      stepByStep?: boolean;
    }
  | { kind: 'ingest-once'; file: string; format: RunFormat; storeUrl: string }
  | {
      kind: 'history';
      storeUrl: string;
      days: number;
      companies: number;
      calls: number;
      firstDay: string;
      now: string;
      /** Decimal places of the ICP scores (default 1, as in docs/run-formats.md's example). */
      scoreDecimals?: number;
    }
  | {
      kind: 'dashboard';
      storeUrl: string;
      now: string;
      warmup: number;
      reps: number;
      renderReps: number;
      /**
       * Open the store once and build every dashboard on it, as a running replica does with its
       * PostgreSQL connection pool (nothing is cached in the app either way).
       */
      reuseStore?: boolean;
    }
  | { kind: 'app'; storeUrl: string; slackApiUrl: string; now: string; ingestToken?: string }
  | { kind: 'distinct-week'; storeUrl: string; now: string; distinct: number; companies: number }
  | { kind: 'wide-week'; storeUrl: string; now: string; runs: number; companies: number };

export interface IngestResult {
  ingestMs: number[];
  parseMs: number[];
  /** The same ingest step by step (readUpload, buildRunRecord, saveRun), to see what limits it. */
  steps: { convertMs: number[]; aggregateMs: number[]; storeMs: number[] };
  companies: number;
  bytes: number;
}

export interface PeakResult {
  peakRssMb: number;
  ingestMs: number;
}

export interface HistoryResult {
  runs: number;
  companies: number;
  calls: number;
  /** The true median ICP score over every company written, from the raw scores. */
  median: number | null;
  ms: number;
}

export interface DashboardResult {
  buildMs: number[];
  renderMs: number[];
  rssMb: number;
  model: Pick<DashboardModel, 'runs' | 'executive_summary'> & {
    median: number | null;
    total_calls: number;
  };
  blocks: number;
  textChars: number;
}

export interface AppMemory {
  rssMb: number;
  peakRssMb: number;
  heapUsedMb: number;
  errors: string[];
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

const CONTENT_TYPES: Record<RunFormat, string> = { csv: 'text/csv', json: 'application/json' };

async function ingestTimes(task: Extract<Task, { kind: 'ingest' }>): Promise<IngestResult> {
  const bytes = await readFile(task.file);
  const text = bytes.toString('utf8');
  const store = await openStore({ url: task.storeUrl });
  const ingestMs: number[] = [];
  const parseMs: number[] = [];
  const steps: IngestResult['steps'] = { convertMs: [], aggregateMs: [], storeMs: [] };
  let companies = 0;
  for (let i = 0; i < task.warmup + task.reps; i++) {
    const measured = i >= task.warmup;
    if (task.floor) {
      const start = performance.now();
      JSON.parse(text);
      if (measured) parseMs.push(since(start));
    }
    // A new run each time: an upload of a new run, not a replacement.
    const upload = {
      bytes,
      contentType: CONTENT_TYPES[task.format],
      run_id: `bench-${i}`,
      started_at: task.startedAt,
    };
    if (!task.stepByStep) {
      const start = performance.now();
      const result = await ingestRun({
        store,
        team: TEAM,
        upload,
        limits: DEFAULT_PARSE_LIMITS,
        source: 'api',
        now: new Date(),
      });
      if (measured) ingestMs.push(since(start));
      companies = result.meta.headline.companies;
      continue;
    }
    // What ingestRun does, one step at a time.
    let start = performance.now();
    const run = readUpload(upload, DEFAULT_PARSE_LIMITS).run;
    const convert = since(start);
    start = performance.now();
    const record = buildRunRecord(run, { source: 'api', now: new Date() });
    const aggregate = since(start);
    start = performance.now();
    await store.saveRun(TEAM, record);
    if (measured) {
      steps.storeMs.push(since(start));
      steps.convertMs.push(convert);
      steps.aggregateMs.push(aggregate);
    }
    companies = run.companies.length;
  }
  await store.close();
  return { ingestMs, parseMs, steps, companies, bytes: Buffer.byteLength(text) };
}

async function ingestOnce(task: Extract<Task, { kind: 'ingest-once' }>): Promise<PeakResult> {
  const store = await openStore({ url: task.storeUrl });
  const bytes = await readFile(task.file);
  const start = performance.now();
  await ingestRun({
    store,
    team: TEAM,
    upload: { bytes, contentType: CONTENT_TYPES[task.format], run_id: 'bench-peak' },
    limits: DEFAULT_PARSE_LIMITS,
    source: 'api',
    now: new Date(),
  });
  const ingestMs = since(start);
  await store.close();
  return { peakRssMb: peakRssMb(), ingestMs };
}

/** A year of daily runs, stored the way ingest stores them (record built from the run, then saved). */
async function writeHistory(task: Extract<Task, { kind: 'history' }>): Promise<HistoryResult> {
  const start = performance.now();
  const store = await openStore({ url: task.storeUrl });
  const now = new Date(task.now);
  const scores = new Float64Array(task.days * task.companies);
  let scored = 0;
  let companies = 0;
  let calls = 0;
  const first = Date.parse(`${task.firstDay}T06:00:00.000Z`);
  for (let day = 0; day < task.days; day++) {
    const startedAt = new Date(first + day * 86_400_000).toISOString();
    const run = generateRun({
      seed: 10_000 + day,
      runId: `run-${startedAt.slice(0, 10)}`,
      startedAt,
      companies: task.companies,
      calls: task.calls,
      scoreDecimals: task.scoreDecimals ?? 1,
    });
    for (const c of run.companies) if (c.icp_score !== undefined) scores[scored++] = c.icp_score;
    companies += run.companies.length;
    calls += run.api_calls.length;
    await store.saveRun(TEAM, buildRunRecord(run, { source: 'api', now }));
  }
  await store.close();
  const sorted = scores.subarray(0, scored).sort();
  const median =
    scored === 0
      ? null
      : round(((sorted[(scored - 1) >> 1] as number) + (sorted[scored >> 1] as number)) / 2);
  return { runs: task.days, companies, calls, median, ms: since(start) };
}

async function dashboardTimes(task: Extract<Task, { kind: 'dashboard' }>): Promise<DashboardResult> {
  const now = new Date(task.now);
  const buildMs: number[] = [];
  let model: DashboardModel | undefined;
  const shared = task.reuseStore ? await openStore({ url: task.storeUrl }) : undefined;
  for (let i = 0; i < task.warmup + task.reps; i++) {
    // Cold: a new store (a new SQLite connection or PostgreSQL pool, nothing cached) for every
    // build, unless the task reuses one.
    const start = performance.now();
    const store = shared ?? (await openStore({ url: task.storeUrl }));
    model = await buildDashboard({
      source: await storeDashboardSource(store, TEAM),
      period: { kind: 'all' },
      now,
      defaultTimeZone: 'UTC',
    });
    const ms = since(start);
    if (!shared) await store.close();
    if (i >= task.warmup) buildMs.push(ms);
  }
  await shared?.close();
  if (!model) throw new Error('no dashboard was built');
  const renderMs: number[] = [];
  let message = renderDashboardMessage(model);
  for (let i = 0; i < task.warmup + task.renderReps; i++) {
    const start = performance.now();
    message = renderDashboardMessage(model);
    if (i >= task.warmup) renderMs.push(since(start));
  }
  return {
    buildMs,
    renderMs,
    rssMb: process.memoryUsage().rss / MIB,
    model: {
      runs: model.runs,
      executive_summary: model.executive_summary,
      median: model.qualification_analytics.score_distribution.median_score,
      total_calls: model.search_performance.total_calls,
    },
    blocks: message.blocks?.length ?? 0,
    textChars: JSON.stringify(message).length,
  };
}

/** The real app (HTTP receiver, store, features) on a loopback port, until told to stop. */
async function serveApp(task: Extract<Task, { kind: 'app' }>): Promise<void> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_API_URL: task.slackApiUrl,
    STORE_URL: task.storeUrl,
    LOG_LEVEL: 'info',
    ...(task.ingestToken ? { INGEST_TOKEN: task.ingestToken } : {}),
  });
  const store = await openStore({ url: config.storeUrl });
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
  const now = new Date(task.now);
  const running = createApp({ config, store, logger, now: () => now });
  const { port } = await running.start();
  process.on('message', async (message: { kind: string }) => {
    if (message.kind === 'memory') {
      const memory: AppMemory = {
        rssMb: process.memoryUsage().rss / MIB,
        peakRssMb: peakRssMb(),
        heapUsedMb: process.memoryUsage().heapUsed / MIB,
        errors: lines.filter((line) => / (ERROR|WARN) /.test(line)).slice(0, 5),
      };
      process.send?.({ kind: 'memory', memory });
    } else if (message.kind === 'stop') {
      await running.stop();
      await store.close();
      process.disconnect();
    }
  });
  process.send?.({ kind: 'ready', port });
}

/**
 * Two weeks ending at `now`: a run a day of `companies` ordinary companies, and in each week one run
 * of `distinct` companies whose industries are all different (a pipeline writing free text into the
 * industry column), different names in each week, so the digest compares 2 × `distinct` names.
 */
async function writeDistinctWeek(task: Extract<Task, { kind: 'distinct-week' }>): Promise<{ runs: number }> {
  const store = await openStore({ url: task.storeUrl });
  const now = new Date(task.now);
  let runs = 0;
  for (let day = 1; day <= 14; day++) {
    const startedAt = new Date(now.getTime() - day * 86_400_000 + 3_600_000).toISOString();
    const wide = day === 2 || day === 9;
    const run = generateRun({
      seed: 500 + day,
      runId: `run-${day}`,
      startedAt,
      companies: wide ? task.distinct : task.companies,
      calls: 200,
      scoreDecimals: 1,
    });
    if (wide) {
      for (const [i, c] of run.companies.entries()) c.industry = `Free text ${day} number ${i}`;
    }
    await store.saveRun(TEAM, buildRunRecord(run, { source: 'api', now }));
    runs++;
  }
  await store.close();
  return { runs };
}

/** `runs` runs of `companies` companies each in the last week: what an 800,000-row export reads. */
async function writeWideWeek(task: Extract<Task, { kind: 'wide-week' }>): Promise<{ runs: number }> {
  const store = await openStore({ url: task.storeUrl });
  const now = new Date(task.now);
  for (let r = 0; r < task.runs; r++) {
    const startedAt = new Date(now.getTime() - (r + 1) * 12 * 3_600_000).toISOString();
    const run = generateRun({
      seed: 900 + r,
      runId: `wide-${r}`,
      startedAt,
      companies: task.companies,
      calls: 200,
      scoreDecimals: 1,
    });
    await store.saveRun(TEAM, buildRunRecord(run, { source: 'api', now }));
  }
  await store.close();
  return { runs: task.runs };
}

async function runTask(task: Task): Promise<unknown> {
  switch (task.kind) {
    case 'ingest':
      return ingestTimes(task);
    case 'ingest-once':
      return ingestOnce(task);
    case 'history':
      return writeHistory(task);
    case 'dashboard':
      return dashboardTimes(task);
    case 'app':
      await serveApp(task);
      return undefined;
    case 'distinct-week':
      return writeDistinctWeek(task);
    case 'wide-week':
      return writeWideWeek(task);
  }
}

if (process.send) {
  process.once('message', (task: Task) => {
    runTask(task).then(
      (result) => {
        if (task.kind === 'app') return;
        process.send?.({ kind: 'result', result }, () => process.disconnect());
      },
      (error: unknown) => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        process.send?.({ kind: 'error', message }, () => process.disconnect());
      },
    );
  });
}
