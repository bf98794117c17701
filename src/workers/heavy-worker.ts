/**
 * Worker thread of the heavy lane: builds a digest or an export, reading the store itself (its own
 * connection to the same SQLite file or PostgreSQL database), so neither the reading nor the
 * rendering of a big period ever runs on the app's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { computeDigestFromStore, type DigestJob } from '../features/digest/index.js';
import { buildExportFromStore, type ExportJob } from '../features/exports/index.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { failureReply, type WorkerReply } from './pool.js';

export interface HeavyWorkerData {
  storeUrl: string;
}

export type HeavyJob = { kind: 'digest'; job: DigestJob } | { kind: 'export'; job: ExportJob };

let store: Promise<Store> | undefined;

function theStore(): Promise<Store> {
  store ??= openStore({ url: (workerData as HeavyWorkerData).storeUrl });
  return store;
}

async function run(job: HeavyJob): Promise<unknown> {
  const s = await theStore();
  return job.kind === 'digest' ? computeDigestFromStore(s, job.job) : buildExportFromStore(s, job.job);
}

parentPort?.on('message', (job: HeavyJob) => {
  void run(job).then(
    (value) => parentPort?.postMessage({ ok: true, value } satisfies WorkerReply<unknown>),
    (error: unknown) => parentPort?.postMessage(failureReply(error)),
  );
});
