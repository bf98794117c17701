/**
 * The offline report: figures hand-computed from the fixtures, and the guarantee that the CLI prints
 * exactly the model the Slack app computes over a store holding the same runs.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { DashboardModel } from '../../src/domain/dashboard.js';
import { DEFAULT_PARSE_LIMITS } from '../../src/domain/parse-run/index.js';
import { parsePeriod } from '../../src/domain/period.js';
import { buildDashboard, storeDashboardSource } from '../../src/services/dashboard.js';
import { ingestRun } from '../../src/services/ingest.js';
import { createKeyvStore } from '../../src/store/keyv-store.js';
import { ensureBuilt, ROOT } from './ensure-built.js';

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);
const CANONICAL = fixture('run-canonical.json');
const ALIASES = fixture('run-apollo-aliases.json');
const CSV = fixture('run-apollo-export.csv');
const BAD_CSV = fixture('run-bad-score.csv');
const FILES = [CANONICAL, ALIASES, CSV];

const NOW = '2026-11-24T00:00:00Z';
const CSV_STARTED_AT = '2026-11-16T08:00:00Z';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

const report = (period: string, files: string[], extra: string[] = []) =>
  cli(['report', '--period', period, '--now', NOW, '--started-at', CSV_STARTED_AT, ...extra, ...files]);

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'apollo-cli-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The Slack path: every file ingested into a real store, then the dashboard built from the store. */
async function viaStore(options: {
  files: string[];
  period: string;
  timeZone?: string;
  rateLimit?: number;
}): Promise<DashboardModel> {
  const store = await createKeyvStore({ url: `sqlite://${join(tmp, `store-${Math.random()}.sqlite`)}` });
  try {
    const now = new Date(NOW);
    for (const path of options.files) {
      const csv = path.endsWith('.csv');
      await ingestRun({
        store,
        team: 'T1',
        upload: {
          bytes: await readFile(path),
          filename: basename(path),
          ...(csv ? { started_at: CSV_STARTED_AT } : {}),
        },
        limits: DEFAULT_PARSE_LIMITS,
        source: 'slack',
        uploadedBy: 'U1',
        now,
      });
    }
    if (options.rateLimit !== undefined) {
      const value = options.rateLimit;
      await store.updateSettings('T1', (s) => ({ ...s, rate_limit: { value, set_by: 'U1', set_at: NOW } }));
    }
    return await buildDashboard({
      source: await storeDashboardSource(store, 'T1'),
      period: parsePeriod(options.period),
      now,
      defaultTimeZone: options.timeZone ?? 'UTC',
    });
  } finally {
    await store.close();
  }
}

describe('apollo-dashboard report', () => {
  it('prints the hand-computed figures of the three fixture runs', async () => {
    const out = await report('all', FILES);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    const model = JSON.parse(out.stdout) as DashboardModel;

    const csvRunId = `run-${createHash('sha256')
      .update(await readFile(CSV, 'utf8'), 'utf8')
      .digest('hex')
      .slice(0, 12)}`;

    expect(model.version).toBe(1);
    expect(model.generated_at).toBe('2026-11-24T00:00:00.000Z');
    expect(model.period).toEqual({ key: 'all', label: 'All runs', start: null, end: null, time_zone: 'UTC' });
    // --started-at dates the CSV only; the JSON runs keep their own started_at.
    expect(model.runs).toEqual({
      count: 3,
      first_started_at: '2026-11-02T09:00:00.000Z',
      last_started_at: '2026-11-16T08:00:00.000Z',
    });
    expect(model.executive_summary).toEqual({
      total_companies_discovered: 12,
      total_companies_qualified: 9,
      qualification_rate: 0.75,
      tier_1_targets: 4,
      tier_2_targets: 3,
      tier_3_targets: 2,
      high_priority_opportunities: 4,
      overall_performance: 'Excellent',
    });

    const search = model.search_performance;
    // 4 logged calls (3 ok, one 429) + metrics of 20 calls at 90 % success, 1.5 s, 18 credits; the CSV has none.
    expect(search).toMatchObject({
      source: 'calls',
      total_calls: 24,
      successful_calls: 21,
      failed_calls: 3,
      success_rate: 0.875,
      error_rate: 0.125,
      total_credits_used: 21,
      rate_limited_calls: 1,
      rate_limit_status: { rate_limit: 100, peak_requests_per_minute: 3, peak_usage: 0.03 },
    });
    // (1.2 + 0.8 + 0.5 + 1.5 * 18) / 21 = 29.5 / 21
    expect(search.average_response_time).toBeCloseTo(29.5 / 21, 6);
    expect(search.endpoints.map((e) => [e.endpoint, e.total_calls, e.successful_calls])).toEqual([
      ['mixed_companies/search', 3, 2],
      ['organizations/enrich', 1, 1],
    ]);
    expect(search.endpoints[0]).toMatchObject({
      average_response_time: 1,
      max_response_time: 1.2,
      credits_used: 2,
      rate_limited_calls: 1,
      status_codes: { '200': 2, '429': 1 },
    });
    // Success and error rate, and 1 of the 24 calls rate-limited: 4.2 %, above the 1 % share alerts use too.
    expect(search.performance_issues).toHaveLength(3);
    expect(search.performance_issues[2]).toBe(
      'Rate-limited calls - honour retry-after and pace requests (4.2% of calls got 429 > 1.0%)',
    );

    const q = model.qualification_analytics;
    // Scores 35 40 55 61 74 78 85 88 92 95; Ember Labs and Kestrel Mining are unscored.
    expect(q.score_distribution).toEqual({
      scored: 10,
      unscored: 2,
      min_score: 35,
      max_score: 95,
      average_score: 70.3,
      median_score: 76,
      score_ranges: { '90-100': 2, '80-89': 2, '70-79': 2, '60-69': 1, '50-59': 1, '0-49': 2 },
    });
    expect(q.tier_breakdown['Tier 1']).toMatchObject({
      count: 4,
      scored: 4,
      average_score: 90,
      min_score: 85,
      max_score: 95,
    });
    expect(q.tier_breakdown.Unqualified).toMatchObject({ count: 3, scored: 2, average_score: 37.5 });
    expect(q.quality_score).toEqual({ count: 2, average: 0.8 });
    expect(q.industry_analysis.map((g) => [g.name, g.count])).toEqual([
      ['Software', 5],
      ['Logistics', 2],
      ['Financial Services', 1],
      ['Food & Beverages', 1],
      ['Healthcare', 1],
      ['Machinery', 1],
      ['Mining', 1],
    ]);
    expect(q.industry_analysis[0]).toMatchObject({
      scored: 4,
      average_score: 79,
      high_scorers: 2,
      tier_1_count: 2,
    });
    expect(q.size_analysis.map((g) => [g.name, g.count])).toEqual([
      ['1-10', 1],
      ['11-50', 2],
      ['51-200', 2],
      ['201-500', 1],
      ['501-1000', 1],
      ['1001-5000', 3],
      ['10001+', 1],
      ['Unknown', 1],
    ]);
    expect(q.geographic_analysis.map((g) => [g.name, g.count])).toEqual([
      ['United States', 6],
      ['Australia', 1],
      ['Canada', 1],
      ['Germany', 1],
      ['Norway', 1],
      ['United Kingdom', 1],
      ['Unknown', 1],
    ]);
    // toMatchObject: the campaign results (campaigns.ts) sit beside the assignment figures.
    expect(model.campaign_performance).toMatchObject({
      companies_assigned: 7,
      campaign_distribution: { Email: 3, LinkedIn: 2, Content: 2, Unassigned: 5 },
    });
    expect(model.recommendations.map((r) => r.metric)).toEqual([
      'success_rate',
      'error_rate',
      'rate_limited_calls',
      'unscored',
    ]);
    expect(model.trends.previous_period).toBeNull();
    expect(model.trends.qualification_rate.direction).toBe('Insufficient data');
    expect(model.trends.qualification_rate_sparkline.runs).toEqual([
      { run_id: 'fixture-canonical', started_at: '2026-11-02T09:00:00.000Z', qualification_rate: 0.8 },
      { run_id: 'fixture-apollo', started_at: '2026-11-09T10:00:00.000Z', qualification_rate: 0.666667 },
      { run_id: csvRunId, started_at: '2026-11-16T08:00:00.000Z', qualification_rate: 0.75 },
    ]);
  });

  it.each([
    { period: 'all' },
    { period: 'last' },
    { period: '7d' },
    { period: '30d' },
    { period: '2026-11-09..2026-11-16' },
    { period: '2026-11-02..2026-11-08', timeZone: 'America/Los_Angeles' },
    { period: 'all', rateLimit: 3 },
  ])('prints exactly what the store path computes (%o)', async ({ period, timeZone, rateLimit }) => {
    const extra = [
      ...(timeZone ? ['--timezone', timeZone] : []),
      ...(rateLimit !== undefined ? ['--rate-limit', String(rateLimit)] : []),
    ];
    const out = await report(period, FILES, extra);
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout) as DashboardModel;
    const stored = await viaStore({
      files: FILES,
      period,
      ...(timeZone ? { timeZone } : {}),
      ...(rateLimit !== undefined ? { rateLimit } : {}),
    });
    expect(printed).toEqual(stored);
    // and byte for byte, as the JSON a user would diff
    expect(out.stdout).toBe(`${JSON.stringify(stored, null, 2)}\n`);
  });

  it('rejects a bad file naming the file, row and field, and prints nothing on stdout', async () => {
    const out = await report('all', [CANONICAL, BAD_CSV]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('run-bad-score.csv');
    expect(out.stderr).toMatch(/row 3, ICP Score: expected a number from 0 to 100, got "high"/);
    expect(out.stderr).not.toContain('row 2');
  });

  it("dates a CSV without --started-at from the file's modification time, and says so on stderr", async () => {
    const copy = join(tmp, 'export.csv');
    await copyFile(CSV, copy);
    const mtime = new Date('2026-11-20T08:15:00.000Z');
    await utimes(copy, mtime, mtime);
    const out = await cli(['report', '--period', 'all', '--now', NOW, copy]);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe(
      'export.csv: no run date in the file; dated from its modification time, 2026-11-20T08:15:00.000Z (--started-at sets one).\n',
    );
    const model = JSON.parse(out.stdout) as DashboardModel;
    expect(model.runs.first_started_at).toBe('2026-11-20T08:15:00.000Z');
  });

  it('prints the usage for --help, before or after the verb', async () => {
    for (const args of [['--help'], ['report', '--help'], ['report', '-h']]) {
      const out = await cli(args);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain('Usage: apollo-dashboard report');
      expect(out.stdout).toContain('--max-upload-mb');
      expect(out.stderr).toBe('');
    }
  });

  it('reads local files of any size unless --max-upload-mb sets a limit', async () => {
    const big = join(tmp, 'big.json');
    const companies = Array.from({ length: 3000 }, (_, i) => ({ name: `Company ${i}`, icp_score: 50 }));
    const text = JSON.stringify({
      started_at: '2026-11-23T09:00:00Z',
      companies,
      padding: 'x'.repeat(1_100_000),
    });
    await writeFile(big, text);
    const read = await cli(['report', '--period', 'all', '--now', NOW, big]);
    expect(read.code).toBe(0);
    expect((JSON.parse(read.stdout) as DashboardModel).executive_summary.total_companies_discovered).toBe(
      3000,
    );
    const limited = await cli(['report', '--period', 'all', '--now', NOW, '--max-upload-mb', '1', big]);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toBe(`big.json is 1.2 MiB; --max-upload-mb is 1.\n`);
  });

  it('scales fractional scores with --score-scale 0-1, and refuses them without', async () => {
    const file = join(tmp, 'fractions.json');
    await writeFile(
      file,
      JSON.stringify({ started_at: '2026-11-23T09:00:00Z', companies: [{ name: 'A', icp_score: 0.885 }] }),
    );
    const refused = await cli(['report', '--period', 'all', '--now', NOW, file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ICP scores are 0-100');
    const scaled = await cli(['report', '--period', 'all', '--now', NOW, '--score-scale', '0-1', file]);
    expect(scaled.code).toBe(0);
    expect(scaled.stderr).toBe(
      'fractions.json: warning: Scores were given on a 0-1 scale and were multiplied by 100 (1 scores).\n',
    );
    expect(
      (JSON.parse(scaled.stdout) as DashboardModel).qualification_analytics.score_distribution.max_score,
    ).toBe(88.5);
  });

  it('writes the model to --out instead of stdout', async () => {
    const target = join(tmp, 'model.json');
    const out = await report('all', FILES, ['--out', target]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('');
    const written = await readFile(target, 'utf8');
    expect(written).toBe((await report('all', FILES)).stdout);
  });

  it('warns when two files carry the same run_id and counts the run once', async () => {
    const out = await report('all', [CANONICAL, CANONICAL]);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('fixture-canonical');
    expect((JSON.parse(out.stdout) as DashboardModel).runs.count).toBe(1);
  });

  it('prints the usage and exits 2 on an unknown verb or bad options', async () => {
    const unknown = await cli(['frobnicate', CANONICAL]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('Usage: apollo-dashboard report');

    for (const argv of [
      ['report', '--period', 'fortnight', CANONICAL],
      ['report', '--format', 'xml', CANONICAL],
      ['report', '--timezone', 'Mars/Base', CANONICAL],
      ['report', '--now', 'yesterday', CANONICAL],
      ['report', '--rate-limit', '0', CANONICAL],
      ['report'],
    ]) {
      const bad = await cli(argv);
      expect(bad.code, argv.join(' ')).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain('Usage: apollo-dashboard report');
    }
  });
});

describe('the built binaries', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it('bin/apollo-dashboard.js report prints the same JSON as runCli', async () => {
    const args = ['report', '--period', 'all', '--now', NOW, CANONICAL];
    const child = spawnSync(process.execPath, [join(ROOT, 'bin', 'apollo-dashboard.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const model = JSON.parse(child.stdout) as DashboardModel;
    expect(model.executive_summary.total_companies_discovered).toBe(5);
    expect(model.executive_summary.total_companies_qualified).toBe(4);
    expect(child.stdout).toBe((await cli(args)).stdout);
  });

  it('bin/apollo-dashboard.js exits 1 on a bad file', () => {
    const args = ['report', '--period', 'all', '--now', NOW, '--started-at', CSV_STARTED_AT, BAD_CSV];
    const child = spawnSync(process.execPath, [join(ROOT, 'bin', 'apollo-dashboard.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.status).toBe(1);
    expect(child.stdout).toBe('');
    expect(child.stderr).toContain('row 3');
  });

  const TOKEN_LIKE = /xox[a-z]-[A-Za-z0-9]|xapp-[A-Za-z0-9]|Bearer\s+\S/;

  it('the app exits 1 naming the missing Slack variables and the README when unconfigured', () => {
    const child = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: tmp,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 20_000,
    });
    expect(child.status).toBe(1);
    expect(child.stdout).toBe('');
    expect(child.stderr).toContain('SLACK_BOT_TOKEN');
    expect(child.stderr).toContain('SLACK_SIGNING_SECRET');
    expect(child.stderr).toContain('README.md');
    expect(child.stderr).not.toMatch(TOKEN_LIKE);
  });

  it('the app exits 1 naming a bad variable without printing the secrets it was given', () => {
    const bot = 'xoxb-1111-2222-SECRETvalue';
    const signing = 'signing-SECRET-abcdef123456';
    const child = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: tmp,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: signing, PORT: 'abc' },
      timeout: 20_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('PORT');
    expect(child.stderr).toContain('README.md');
    expect(child.stderr).not.toContain(bot);
    expect(child.stderr).not.toContain(signing);
    expect(child.stderr).not.toMatch(TOKEN_LIKE);
  });
});
