/**
 * The built app on a 512 MiB heap (`--max-old-space-size=512`, a small container) survives every
 * hostile input through the ingest API, keeps answering /healthz and signed slash commands after each,
 * and its memory returns near where it started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRun, runToJson } from '../bench/data.js';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.js';
import { postSigned, slashCommandBody } from './helpers/signed-request.js';

const SECRET = 'memory-test-signing-secret-0123';
const INGEST = 'memory-test-ingest-token-0123456789';
const MAIN = join(import.meta.dirname, '..', 'dist', 'src', 'main.js');
const DAY = 86_400_000;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

describe.runIf(existsSync('/proc/self/status'))('the app on a 512 MiB heap', () => {
  let fake: FakeSlack;
  let child: ChildProcess;
  let dir: string;
  let url = '';
  const output: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: 'T_MEM' });
    dir = await mkdtemp(join(tmpdir(), 'apollo-mem-'));
    child = spawn(process.execPath, ['--max-old-space-size=512', MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-memory-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
        INGEST_TOKEN: INGEST,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<string>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        output.push(chunk.toString());
        const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(output.join(''));
        if (m?.[1]) resolve(m[1]);
      };
      child.stdout?.on('data', seen);
      child.stderr?.on('data', seen);
      child.once('exit', (code) => reject(new Error(`the app exited (${code}): ${output.join('')}`)));
    });
    url = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(async () => {
    if (child?.exitCode !== null) process.stderr.write(`the app exited: ${output.join('').slice(-3000)}\n`);
    child?.kill('SIGTERM');
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function stillServing(): Promise<void> {
    const healthz = await fetch(`${url}/healthz`);
    expect(healthz.status).toBe(200);
    const body = slashCommandBody({ text: 'help', teamId: 'T_MEM', responseUrl: fake.responseUrl('mem') });
    const ack = await postSigned(`${url}/slack/events`, body, { secret: SECRET });
    expect(ack.status).toBe(200);
  }

  const ingest = async (body: string) => {
    try {
      const res = await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${INGEST}` },
        body,
      });
      return { status: res.status, size: (await res.text()).length };
    } catch (error) {
      throw new Error(
        `the upload failed (${String(error)}); app exit ${child.exitCode}: ${output.join('').slice(-3000)}`,
      );
    }
  };

  it('survives every flood and a full-size upload, and returns near its idle footprint', async () => {
    await stillServing();
    const pid = child.pid as number;
    const idle = rssMiB(pid);
    const started = new Date(Date.now() - DAY).toISOString();
    const floods: Array<[string, () => string, number]> = [
      [
        '1e308 credits',
        () =>
          `{"started_at":"${started}","companies":[],"api_calls":[${Array(2).fill(`{"timestamp":"${started}","endpoint":"/x","response_time":1,"status_code":200,"credits_used":1e308}`).join(',')}]}`,
        400,
      ],
      [
        'a million empty API calls',
        () =>
          `{"started_at":"${started}","companies":[],"api_calls":[${Array(1_000_000).fill('{}').join(',')}]}`,
        400,
      ],
      [
        'a million string quality scores',
        () =>
          `{"started_at":"${started}","companies":[],"quality_scores":[${Array(1_000_000).fill('"x"').join(',')}]}`,
        400,
      ],
      [
        '100,000 companies without a name',
        () => `{"started_at":"${started}","companies":[${Array(100_000).fill('{}').join(',')}]}`,
        400,
      ],
      [
        'a 15 MB label',
        () => `{"started_at":"${started}","label":"${'L'.repeat(15_000_000)}","companies":[]}`,
        400,
      ],
      ['a run dated 2099', () => `{"started_at":"2099-01-01T00:00:00Z","companies":[{"name":"A"}]}`, 400],
      [
        'a valid 100,000-company run',
        () =>
          runToJson(
            generateRun({
              seed: 3,
              runId: 'full',
              startedAt: started,
              companies: 100_000,
              calls: 20_000,
              scoreDecimals: 1,
            }),
          ),
        201,
      ],
    ];
    const peaks: string[] = [];
    for (const [what, make, status] of floods) {
      const answer = await ingest(make());
      expect(answer.status, what).toBe(status);
      expect(answer.size, what).toBeLessThan(16_384);
      await stillServing();
      peaks.push(`${what}: ${rssMiB(pid).toFixed(0)} MiB`);
    }
    // Idle workers exit after 10 s; then the heap settles.
    await new Promise((r) => setTimeout(r, 12_000));
    await stillServing();
    const after = rssMiB(pid);
    expect(
      after,
      `idle ${idle.toFixed(0)} MiB; ${peaks.join('; ')}; after ${after.toFixed(0)} MiB`,
    ).toBeLessThan(idle + 250);
  }, 240_000);
});
