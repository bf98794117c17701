// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON in tests
/**
 * What the app must never do, whatever Slack or the store does: send the bot token to a host that
 * is not Slack's, keep data a crash orphaned, call itself healthy when a dashboard cannot be read,
 * or take more than seconds to stop while Slack hangs (a separate OS process, SIGTERM).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/ids.js';
import { createLogger } from '../../src/logger.js';
import { isSlackFileUrl } from '../../src/slack/upload-view.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { ensureBuilt, ROOT } from '../cli/ensure-built.js';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startHarness,
  TEAM,
  viewSubmissionPayload,
  visibleText,
} from '../helpers/app-harness.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { postSigned, slashCommandBody } from '../helpers/signed-request.js';
import { sql } from '../helpers/sqlite-file.js';

const RUN = (id: string) =>
  JSON.stringify({
    run_id: id,
    started_at: '2026-11-20T09:00:00Z',
    companies: [{ name: 'Acme', domain: 'acme.test', score: 80, tier: 1 }],
    api_calls: [],
  });

describe('the bot token goes only to Slack', () => {
  it('accepts Slack’s file hosts and the configured API host, nothing else', () => {
    const api = 'http://127.0.0.1:4555/api/';
    expect(isSlackFileUrl('https://files.slack.com/files-pri/T1-F1/download/run.csv', api)).toBe(true);
    expect(isSlackFileUrl('http://127.0.0.1:4555/files/run.csv', api)).toBe(true);
    for (const url of [
      'https://files.slack.com.evil.test/run.csv',
      'http://files.slack.com/run.csv',
      'https://files.slack.com:8443/run.csv',
      'https://user:pw@files.slack.com/run.csv',
      'http://127.0.0.1:4556/files/run.csv',
      'https://example.com/run.csv',
      'not a url',
    ])
      expect(isSlackFileUrl(url, api), url).toBe(false);
    expect(isSlackFileUrl('http://127.0.0.1:4555/files/run.csv', undefined)).toBe(false);
  });

  it('refuses an upload whose file is on a foreign host, without sending the token, and logs it', async () => {
    const seen: Array<string | undefined> = [];
    const foreign = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end(RUN('stolen'));
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const h = await startHarness();
    try {
      const url = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/run.json`;
      const res = await h.interact(
        viewSubmissionPayload({
          callbackId: VIEWS.upload,
          privateMetadata: JSON.stringify({ channel_id: 'C_UP' }),
          values: {
            [BLOCKS.uploadFile]: {
              [ACTIONS.uploadFile]: {
                type: 'file_input',
                files: [
                  { id: 'F1', name: 'run.json', filetype: 'json', size: 200, url_private_download: url },
                ],
              },
            },
          },
        }),
      );
      expect(res.status).toBe(200);
      const told = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral');
      expect(visibleText(told.args)).toContain('not on Slack’s file servers');
      expect(seen).toEqual([]);
      expect(await h.store.listRuns(TEAM)).toEqual([]);
      expect(
        h.logs.some((l) => l.includes('WARN') && l.includes('Refused to fetch an upload from 127.0.0.1:')),
      ).toBe(true);
    } finally {
      await h.stop();
      await new Promise((resolve) => foreign.close(resolve));
    }
  });
});

describe('store hygiene', () => {
  it('reclaims at start-up the run data that crashed uploads left, and logs the size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apollo-orphans-'));
    try {
      const first = await startHarness({ dir });
      expect((await first.ingest(RUN('kept'))).status).toBe(201);
      await first.stop();
      // What 3 uploads killed before their commit left: data rows under generations no index names.
      const file = join(dir, 'store.sqlite');
      const [agg] = sql<{ key: string; value: string }>(
        file,
        "SELECT key, value FROM keyv WHERE key LIKE '%:agg:kept:%'",
      );
      expect(agg).toBeDefined();
      for (const gen of ['dead0001', 'dead0002', 'dead0003'])
        sql(
          file,
          'INSERT INTO keyv(key, value) VALUES(?, ?)',
          `keyv:t:${TEAM}:agg:crashed:${gen}`,
          agg?.value,
        );
      const bytes = 3 * Buffer.byteLength(agg?.value ?? '');

      const second = await startHarness({ dir });
      try {
        expect(sql(file, "SELECT key FROM keyv WHERE key LIKE '%:crashed:%'")).toEqual([]);
        expect(await second.store.listRuns(TEAM)).toHaveLength(1);
        expect(await second.store.getCompanies(TEAM, 'kept')).toHaveLength(1);
        expect(
          second.logs.some((l) =>
            l.includes(`Reclaimed 3 orphaned run records (${(bytes / 1048576).toFixed(2)} MiB)`),
          ),
        ).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('/healthz', () => {
  let dir: string;
  let store: Store;
  let fail: 'none' | 'throw' | 'hang' = 'none';
  let url: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apollo-health-'));
    const fake = await startFakeSlack({ teamId: TEAM });
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_API_URL: fake.apiUrl,
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    });
    const real = await openStore({ url: config.storeUrl });
    await real.updateSettings(TEAM, () => ({}));
    // The real store, with reads of a workspace's runs failing or hanging on demand.
    store = {
      ...real,
      kind: real.kind,
      listRuns: (team) =>
        fail === 'throw'
          ? Promise.reject(new Error('disk I/O error'))
          : fail === 'hang'
            ? new Promise(() => undefined)
            : real.listRuns(team),
    };
    const running = createApp({
      config,
      store,
      logger: createLogger({ level: 'error', write: () => undefined }),
    });
    const { port } = await running.start();
    url = `http://127.0.0.1:${port}/healthz`;
    stop = async () => {
      await running.stop();
      await real.close();
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => {
    await stop();
  });

  it('is ok while a dashboard can be read', async () => {
    fail = 'none';
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).workspaces).toBe('ok');
  });

  it('is degraded (503) when the store answers pings but a workspace cannot be read', async () => {
    fail = 'throw';
    const res = await fetch(url);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'degraded',
      store: 'ok',
      workspaces: 'unreadable',
      store_kind: 'sqlite',
    });
  });

  it('answers within its 2 s timeout when a read hangs', async () => {
    fail = 'hang';
    const started = Date.now();
    const res = await fetch(url);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).workspaces).toBe('slow');
  });
});

describe('shutdown while Slack hangs', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('ends the process within 5 s of SIGTERM while a post waits on Slack, and nothing is posted twice', async () => {
    const fake = await startFakeSlack({ teamId: TEAM });
    fake.inject('chat.postMessage', { kind: 'hang' });
    const dir = await mkdtemp(join(tmpdir(), 'apollo-sigterm-'));
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) {
            clearInterval(timer);
            resolve(Number(m[1]));
          }
        }, 50);
        setTimeout(() => {
          clearInterval(timer);
          reject(new Error(`the app did not start: ${out}`));
        }, 20_000);
      });
      const body = slashCommandBody({
        text: 'post',
        teamId: TEAM,
        userId: 'U1',
        channelId: 'C_HANG',
        responseUrl: fake.responseUrl('sigterm'),
        triggerId: 't',
      });
      const ack = await postSigned(`http://127.0.0.1:${port}/slack/events`, body, { secret: SIGNING_SECRET });
      expect(ack.status).toBe(200);
      await fake.waitFor((c) => c.method === 'chat.postMessage', 5_000);
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(code).toBe(0);
      expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
