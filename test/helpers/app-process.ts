/**
 * The app as its own OS process (dist/src/main.js), as a replica runs: the real entry point, env
 * configuration, signals. The caller builds dist/ first (`ensureBuilt`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../cli/ensure-built.js';

export interface AppProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startAppProcess(env: Record<string, string>, cwd: string): Promise<AppProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`the app exited: ${out.slice(-2000)}`));
      }
    }, 50);
    setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`the app did not start within 30 s: ${out.slice(-2000)}`));
    }, 30_000);
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
