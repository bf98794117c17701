/**
 * Operating the app as a process: `.env` (the environment wins), `npm start` without a second
 * compile, the build check used by `prepare`, JSON logs from the real process, and SIGTERM.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDotEnv } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { ensureBuilt, ROOT } from '../cli/ensure-built.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'apollo-start-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('loadDotEnv', () => {
  it('adds what the environment lacks; a variable already set, even empty, wins', () => {
    const path = join(tmp, '.env');
    writeFileSync(
      path,
      [
        '# comment',
        'FROM_FILE=file value',
        'SET_IN_ENV=from the file',
        'EMPTY_IN_ENV=from the file',
        'QUOTED="a # b"',
        '',
      ].join('\n'),
    );
    const env: Record<string, string | undefined> = { SET_IN_ENV: 'from the environment', EMPTY_IN_ENV: '' };
    const result = loadDotEnv(path, env);
    expect(result).toEqual({ path, applied: ['FROM_FILE', 'QUOTED'] });
    expect(env).toEqual({
      SET_IN_ENV: 'from the environment',
      EMPTY_IN_ENV: '',
      FROM_FILE: 'file value',
      QUOTED: 'a # b',
    });
  });

  it('does nothing without a file, and names an unreadable one without its content', () => {
    const env: Record<string, string | undefined> = {};
    expect(loadDotEnv(join(tmp, 'missing.env'), env)).toBeUndefined();
    expect(env).toEqual({});
    mkdirSync(join(tmp, 'dir.env'));
    let error: unknown;
    try {
      loadDotEnv(join(tmp, 'dir.env'), env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('config_invalid');
    expect((error as AppError).message).toContain('dir.env');
  });
});

/** A throwaway project holding the build check, to see what it decides without touching this one. */
function project(options: { typescript: boolean }): string {
  const dir = join(tmp, 'project');
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(ROOT, 'scripts', 'ensure-build.mjs'), join(dir, 'scripts', 'ensure-build.mjs'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'nodenext', outDir: 'dist', rootDir: '.', types: [] },
    }),
  );
  writeFileSync(
    join(dir, 'tsconfig.build.json'),
    JSON.stringify({ extends: './tsconfig.json', include: ['src'] }),
  );
  writeFileSync(join(dir, 'src', 'main.ts'), 'export const answer: number = 42;\n');
  if (options.typescript) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function check(dir: string, args: string[] = []) {
  const run = spawnSync(process.execPath, [join(dir, 'scripts', 'ensure-build.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NODE_PATH: '' },
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

describe('the build check behind `prepare` and `npm start`', () => {
  it('compiles when dist/ is missing or older than a source, and not when it is current', () => {
    const dir = project({ typescript: true });
    const built = join(dir, 'dist', 'src', 'main.js');
    expect(check(dir).status).toBe(0);
    expect(readFileSync(built, 'utf8')).toContain('42');
    const first = statSync(built).mtimeMs;
    expect(check(dir)).toEqual({ status: 0, stderr: '', stdout: '' });
    expect(statSync(built).mtimeMs).toBe(first);
    // A source edited after the build: compiled again.
    writeFileSync(join(dir, 'src', 'main.ts'), 'export const answer: number = 43;\n');
    const later = new Date(first + 5_000);
    utimesSync(join(dir, 'src', 'main.ts'), later, later);
    expect(check(dir).status).toBe(0);
    expect(readFileSync(built, 'utf8')).toContain('43');
  });

  it('on a production install (no TypeScript) never fails the install, and says why', () => {
    const dir = project({ typescript: false });
    const install = check(dir, ['--install']);
    expect(install.status).toBe(0);
    expect(install.stderr).toContain('dist/ is missing and TypeScript is not installed');
    // Outside the install hook a missing build is an error.
    expect(check(dir).status).toBe(1);
    // A build copied in beside its sources, newer than them: current.
    mkdirSync(join(dir, 'dist', 'src'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'src', 'main.js'), 'export const answer = 42;\n');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'dist', 'src', 'main.js'), later, later);
    expect(check(dir, ['--install'])).toEqual({ status: 0, stderr: '', stdout: '' });
    // Older than a source: kept, with a warning, since it cannot be rebuilt here.
    const older = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'dist', 'src', 'main.js'), older, older);
    const stale = check(dir, ['--install']);
    expect(stale.status).toBe(0);
    expect(stale.stderr).toContain('dist/ is older than the sources');
    // The container image: dist/ without sources or tsconfig is current.
    rmSync(join(dir, 'src'), { recursive: true });
    rmSync(join(dir, 'tsconfig.build.json'));
    expect(check(dir, ['--install'])).toEqual({ status: 0, stderr: '', stdout: '' });
    expect(check(dir)).toEqual({ status: 0, stderr: '', stdout: '' });
  });

  it('`npm start` is the checked start, and `prepare` the install-time check', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
    expect(pkg.scripts.prepare).toBe('node scripts/ensure-build.mjs --install');
    // What `npm start` runs at run time must be installed by `npm ci --omit=dev`: every package a
    // source file imports for its value (not `import type`) is a dependency.
    const runtime = new Set<string>();
    for (const file of listSources(join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*?from '([^'.][^']*)'/gms)) {
        const spec = m[1] ?? '';
        if (spec.startsWith('node:')) continue;
        runtime.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec),
        );
      }
    }
    expect(runtime.size).toBeGreaterThan(5);
    for (const name of runtime) expect(pkg.dependencies, name).toHaveProperty([name]);
  });
});

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listSources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Started {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const BOT = 'xoxb-9999-8888-STARTsecret';
const SIGNING = 'start-signing-SECRET-0123456789';
const INGEST = 'start-ingest-SECRET-0123456789';

function startApp(cwd: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let rest = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(`stdout: ${chunk}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (rest) lines.push(rest);
      resolve({ code, signal, at: Date.now() });
    }),
  );
  return { child, lines, exited };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the app process', () => {
  let fake: FakeSlack;
  let started: Started | undefined;
  beforeAll(() => {
    ensureBuilt();
  });
  beforeEach(async () => {
    fake = await startFakeSlack({ teamId: 'T_START' });
  });
  afterEach(async () => {
    if (started && started.child.exitCode === null && started.child.signalCode === null) {
      started.child.kill('SIGKILL');
      await started.exited;
    }
    started = undefined;
    await fake.close();
  });

  it('reads .env (the environment wins), starts without compiling, logs JSON lines without secrets, stops on SIGTERM', async () => {
    writeFileSync(
      join(tmp, '.env'),
      [
        `SLACK_BOT_TOKEN=${BOT}`,
        `SLACK_SIGNING_SECRET=${SIGNING}`,
        `INGEST_TOKEN=${INGEST}`,
        `SLACK_API_URL=${fake.apiUrl}`,
        'PORT=0',
        'HOST=127.0.0.1',
        `STORE_URL=sqlite://${join(tmp, 'store.sqlite')}`,
        // Overridden by the environment below: debug would add Bolt's debug lines.
        'LOG_LEVEL=debug',
        'LOG_FORMAT=json',
      ].join('\n'),
    );
    const entry = join(ROOT, 'dist', 'src', 'main.js');
    const builtAt = statSync(entry).mtimeMs;
    started = startApp(tmp, { LOG_LEVEL: 'info' });
    const { lines } = started;
    const parse = () =>
      lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const listening = await until('the app to listen', () =>
      parse().find((l) => typeof l.message === 'string' && l.message.startsWith('Listening on')),
    );
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(String(listening.message))?.[1]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    // The Slack API URL and the ingest token came from the file: the ingest API is on, and authenticated.
    const unauthorized = await fetch(`http://127.0.0.1:${port}/api/runs`, { method: 'POST', body: '{}' });
    expect(unauthorized.status).toBe(401);

    const signalledAt = Date.now();
    started.child.kill('SIGTERM');
    const exit = await started.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(5_000);
    expect(statSync(entry).mtimeMs).toBe(builtAt);

    const records = parse();
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const r of records) {
      expect(Object.keys(r).slice(0, 4)).toEqual(['time', 'level', 'logger', 'message']);
      expect(new Date(String(r.time)).toISOString()).toBe(r.time);
      expect(['info', 'warn', 'error']).toContain(r.level);
    }
    expect(records.map((r) => r.message)).toEqual(
      expect.arrayContaining([
        // Nine lines in the file; LOG_LEVEL was already set.
        'Read 8 variables from .env (the environment wins).',
        'SIGTERM: shutting down.',
        'Stopped.',
      ]),
    );
    expect(records.find((r) => r.message === 'Stopped.')?.duration_ms).toEqual(expect.any(Number));
    const all = lines.join('\n');
    for (const secret of [BOT, SIGNING, INGEST]) expect(all).not.toContain(secret);
  });

  const env = () => ({
    SLACK_BOT_TOKEN: BOT,
    SLACK_SIGNING_SECRET: SIGNING,
    INGEST_TOKEN: INGEST,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    STORE_URL: `sqlite://${join(tmp, 'store.sqlite')}`,
  });

  /** Starts the app (text logs) and opens an ingest request whose body never ends. */
  async function startWithOpenRequest(): Promise<{ app: Started; release: () => Promise<void> }> {
    const app = startApp(tmp, env());
    const listening = await until('the app to listen', () =>
      app.lines.find((l) => l.includes(' INFO ') && l.includes('Listening on')),
    );
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
    const hanging = new AbortController();
    const open = fetch(`http://127.0.0.1:${port}/api/runs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${INGEST}`, 'Content-Type': 'application/json' },
      body: new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"started_at":')) }),
      signal: hanging.signal,
      duplex: 'half',
    } as RequestInit).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    return {
      app,
      release: async () => {
        hanging.abort();
        await open;
      },
    };
  }

  it('ends within 5 s of SIGTERM even when a request keeps the server open', async () => {
    const { app, release } = await startWithOpenRequest();
    started = app;
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    await release();
    expect(exit.at - signalledAt).toBeLessThan(5_000);
    expect(app.lines.some((l) => l.includes('SIGTERM: shutting down.'))).toBe(true);
    // The open request holds the HTTP server, so the deadline ends the process, saying so.
    expect(exit.code).toBe(1);
    expect(
      app.lines.some((l) => / ERROR .*Not stopped 4000 ms after SIGTERM: exiting anyway\.$/.test(l)),
    ).toBe(true);
  });

  it('exits at once on a second signal', async () => {
    const { app, release } = await startWithOpenRequest();
    started = app;
    app.child.kill('SIGTERM');
    await until('the shutdown to begin', () =>
      app.lines.some((l) => l.includes('SIGTERM: shutting down.')) ? true : undefined,
    );
    const secondAt = Date.now();
    app.child.kill('SIGINT');
    const exit = await app.exited;
    await release();
    expect(exit.at - secondAt).toBeLessThan(1_500);
    expect(exit.code).toBe(1);
    expect(app.lines.some((l) => / WARN .*SIGINT again: exiting now\.$/.test(l))).toBe(true);
  });
});
