/**
 * A tiny bounded pool of worker threads: CPU-heavy work (parsing and aggregating an upload) runs off
 * the event loop, so slash-command acks never wait behind it. At most `size` jobs run at once and at
 * most `maxQueue` wait; past that `run` refuses at once with `busy` (the API answers 503 with
 * Retry-After, the form says "busy, try again"). A worker that dies (e.g. out of memory) fails only
 * its own job and is replaced; idle workers exit after `idleMs`, so memory returns to idle.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { AppError, type FieldProblem, isAppError } from '../errors.js';

/** What a worker posts back for one job. */
export type WorkerReply<O> =
  | { ok: true; value: O }
  | { ok: false; error: { code?: string; message: string; problems?: FieldProblem[]; unlisted?: number } };

export interface PoolOptions {
  /** The worker's module, as a file URL (see `workerFile`). */
  file: URL;
  size: number;
  /** Jobs that may wait, and their total weight (e.g. bytes of upload text): past either, `busy`. */
  maxQueue: number;
  maxQueuedWeight?: number;
  weigh?: (input: unknown) => number;
  idleMs?: number;
  resourceLimits?: ResourceLimits;
  /** The words of the `busy` refusal. */
  busyMessage: string;
  /** Handed to each worker as `workerData`. */
  workerData?: unknown;
  /** What a job whose worker ran out of memory fails with (default: an upload too large). */
  outOfMemory?: () => Error;
}

export interface WorkerPool<I, O> {
  run(input: I): Promise<O>;
  /** Jobs running and waiting. */
  load(): { running: number; waiting: number };
  close(): Promise<void>;
}

/**
 * The built worker next to this module. Under the TypeScript sources (tests run them directly) the
 * compiled copy in dist/ is used, which `npm run build` writes.
 */
export function workerFile(name: string, base: string): URL {
  const here = new URL(`./${name}.js`, base);
  if (existsSync(fileURLToPath(here))) return here;
  const path = fileURLToPath(here);
  const at = Math.max(path.lastIndexOf('/src/'), path.lastIndexOf('\\src\\'));
  const built = at < 0 ? path : `${path.slice(0, at + 1)}dist${path.charAt(at)}${path.slice(at + 1)}`;
  if (!existsSync(built)) throw new Error(`The worker ${name} is not built; run npm run build.`);
  return pathToFileURL(built);
}

interface Job<I, O> {
  input: I;
  weight: number;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

export function createWorkerPool<I, O>(options: PoolOptions): WorkerPool<I, O> {
  const slots: Slot[] = [];
  const queue: Job<I, O>[] = [];
  let running = 0;
  let queuedWeight = 0;
  let closed = false;

  function spawn(): Slot {
    const worker = new Worker(options.file, {
      resourceLimits: options.resourceLimits,
      workerData: options.workerData,
    });
    worker.unref();
    const slot: Slot = { worker, busy: false };
    slots.push(slot);
    return slot;
  }

  function retire(slot: Slot): void {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    void slot.worker.terminate();
  }

  function next(): void {
    if (closed) return;
    while (queue.length > 0) {
      let slot = slots.find((s) => !s.busy);
      if (!slot && slots.length < options.size) slot = spawn();
      if (!slot) return;
      const job = queue.shift() as Job<I, O>;
      queuedWeight -= job.weight;
      start(slot, job);
    }
  }

  function start(slot: Slot, job: Job<I, O>): void {
    slot.busy = true;
    running++;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    const { worker } = slot;
    const finish = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      slot.busy = false;
      running--;
    };
    const onMessage = (reply: WorkerReply<O>) => {
      finish();
      if (reply.ok) job.resolve(reply.value);
      else job.reject(rebuildError(reply.error));
      if (options.idleMs !== undefined)
        slot.idleTimer = setTimeout(() => retire(slot), options.idleMs).unref();
      next();
    };
    const onError = (error: Error) => {
      finish();
      retire(slot);
      job.reject(
        /heap out of memory|ERR_WORKER_OUT_OF_MEMORY/i.test(
          `${(error as { code?: string }).code} ${error.message}`,
        )
          ? (options.outOfMemory?.() ??
              new AppError('upload_too_large', 'The upload needs more memory than one upload may use.'))
          : error,
      );
      next();
    };
    const onExit = (code: number) => {
      finish();
      retire(slot);
      job.reject(new Error(`The worker stopped (exit code ${code}).`));
      next();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(job.input);
  }

  return {
    run(input) {
      if (closed) return Promise.reject(new Error('The worker pool is closed.'));
      const free = slots.some((s) => !s.busy) || slots.length < options.size;
      const weight = options.weigh?.(input) ?? 0;
      const full =
        queue.length >= options.maxQueue ||
        (options.maxQueuedWeight !== undefined &&
          queue.length > 0 &&
          queuedWeight + weight > options.maxQueuedWeight);
      if (!free && full) return Promise.reject(new AppError('busy', options.busyMessage));
      return new Promise<O>((resolve, reject) => {
        queue.push({ input, weight, resolve, reject });
        queuedWeight += weight;
        next();
      });
    },
    load: () => ({ running, waiting: queue.length }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('The worker pool is closed.'));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}

/** What a worker posts back for a job that threw: an AppError's code and problems travel with it. */
export function failureReply(error: unknown): WorkerReply<never> {
  if (isAppError(error)) {
    return {
      ok: false,
      error: { code: error.code, message: error.message, problems: error.problems, unlisted: error.unlisted },
    };
  }
  return { ok: false, error: { message: error instanceof Error ? error.message : String(error) } };
}

function rebuildError(error: {
  code?: string;
  message: string;
  problems?: FieldProblem[];
  unlisted?: number;
}) {
  const known = [
    'upload_invalid',
    'upload_too_large',
    'bad_command',
    'not_found',
    'store_unavailable',
  ] as const;
  const code = known.find((c) => c === error.code);
  if (!code) return new Error(error.message);
  return new AppError(code, error.message, { problems: error.problems ?? [], unlisted: error.unlisted ?? 0 });
}
