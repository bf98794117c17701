/**
 * Several OS processes on one PostgreSQL database (TEST_DATABASE_URL), each with its own store
 * and connection pool, as replicas run: no update is lost and every claim has one winner.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPostgresStore } from '../../src/store/postgres-store.js';
import { ensureBuilt, ROOT } from '../cli/ensure-built.js';
import { createSchema, dropSchema, postgresTitle, skipPostgres } from '../helpers/postgres.js';

const WORKER = join(ROOT, 'test/helpers/store-worker.mjs');
const PROCESSES = 3;

/** Runs the worker as its own node process; resolves with what it printed, rejects on a non-zero exit. */
function runWorker(task: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify(task)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`worker exited with ${code}: ${err.slice(0, 2000)}`));
    });
  });
}

/** Starts one worker per process, all beginning their work at the same moment. */
function runAll(url: string, op: string, count: number): Promise<unknown[]> {
  const startAt = Date.now() + 3_000;
  return Promise.all(
    Array.from({ length: PROCESSES }, (_, worker) => runWorker({ url, worker, startAt, count, op })),
  );
}

describe.skipIf(skipPostgres)(postgresTitle('PostgreSQL store shared by 3 processes'), () => {
  let schema: string;
  let url: string;

  beforeAll(() => ensureBuilt(), 120_000);

  beforeEach(async () => {
    ({ schema, url } = await createSchema());
  });

  afterEach(async () => {
    await dropSchema(schema);
  });

  it('keeps all of 3 × 100 concurrent campaign-document updates and settings changes', async () => {
    const results = await runAll(url, 'updates', 100);
    expect(results).toEqual([{ done: 100 }, { done: 100 }, { done: 100 }]);

    const store = await createPostgresStore({ url });
    try {
      const doc = await store.getDocument(
        'T1',
        'campaign-updates',
        z.object({ updates: z.array(z.object({ id: z.string(), by: z.number() })) }),
      );
      const expected = [0, 1, 2].flatMap((w) => Array.from({ length: 100 }, (_, i) => `w${w}-u${i}`));
      expect(doc?.updates.map((u) => u.id).sort()).toEqual(expected.sort());

      const settings = await store.getSettings('T1');
      expect(Object.keys(settings).sort()).toEqual(
        [0, 1, 2].flatMap((w) => Array.from({ length: 100 }, (_, i) => `w${w}_k${i}`)).sort(),
      );
      expect(await store.listWorkspaces()).toEqual(['T1']);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('gives each of 100 claims raced by 3 processes to exactly one of them', async () => {
    const results = (await runAll(url, 'claims', 100)) as Array<{ won: number[] }>;
    const winners = new Map<number, number>();
    for (const { won } of results) for (const i of won) winners.set(i, (winners.get(i) ?? 0) + 1);
    expect([...winners.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...winners.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
