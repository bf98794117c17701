/** Worker thread: parses, validates and aggregates one upload (services/ingest.ts `prepareRun`), off the event loop. */
import { parentPort } from 'node:worker_threads';
import { type PreparedRun, type PrepareJob, prepareRun } from '../services/ingest.js';
import { failureReply, type WorkerReply } from './pool.js';

parentPort?.on('message', (job: PrepareJob) => {
  let reply: WorkerReply<PreparedRun>;
  try {
    reply = { ok: true, value: prepareRun(job) };
  } catch (error) {
    reply = failureReply(error);
  }
  parentPort?.postMessage(reply);
});
