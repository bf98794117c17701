/** Worker thread: parses, validates and aggregates one upload (services/ingest.ts `prepareRun`), off the event loop. */
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../errors.js';
import { type PreparedRun, type PrepareJob, prepareRun } from '../services/ingest.js';
import type { WorkerReply } from './pool.js';

parentPort?.on('message', (job: PrepareJob) => {
  let reply: WorkerReply<PreparedRun>;
  try {
    reply = { ok: true, value: prepareRun(job) };
  } catch (error) {
    reply = isAppError(error)
      ? {
          ok: false,
          error: {
            code: error.code,
            message: error.message,
            problems: error.problems,
            unlisted: error.unlisted,
          },
        }
      : { ok: false, error: { message: error instanceof Error ? error.message : String(error) } };
  }
  parentPort?.postMessage(reply);
});
