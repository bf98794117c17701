/** Extra HTTP routes served beside Slack's: health and the authenticated ingest API. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { formatProblems, type UploadInput } from '../domain/parse-run/index.js';
import { parseScoreScale } from '../domain/read/score-scale.js';
import { AppError, httpStatusOf, isAppError } from '../errors.js';
import { HEALTH_PATH, INGEST_RUNS_PATH } from '../ids.js';
import { ingestRun } from '../services/ingest.js';
import type { Deps, RunStoredEvent } from '../slack/deps.js';
import { describeError } from '../slack/errors.js';
import type { Store } from '../store/store.js';

/** What a busy server asks a client to wait before retrying. */
export const BUSY_RETRY_AFTER_SECONDS = 30;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** Compares bearer tokens in constant time (digests first, so lengths leak nothing either). */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(.+)$/i.exec(h.trim()) : null;
  return m?.[1];
}

/** Reads a body up to `maxBytes`; rejects with `upload_too_large` as soon as it is exceeded. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge(declared, maxBytes));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(tooLarge(size, maxBytes));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

function tooLarge(bytes: number, max: number): AppError {
  return new AppError(
    'upload_too_large',
    `The body is over ${(bytes / 1048576).toFixed(1)} MiB; the limit is ${(max / 1048576).toFixed(0)} MiB.`,
  );
}

/**
 * The skeleton every authenticated ingest route shares: a constant-time bearer check, a body read
 * with a size limit, and one mapping of errors to statuses (413, 400 with the problems, 503).
 * `handle` gets the body and answers the success itself; whatever it throws is mapped here.
 */
export function ingestRoute(options: {
  path: string;
  deps: Deps;
  /** The workspace the bearer token writes into (INGEST_TOKEN or a workspace's ingest key), or null. */
  authenticate: IngestAuthenticator;
  maxBytes: number;
  /** For the log and the 503 message, e.g. "The run". */
  what: string;
  /** The body as bytes: a route decodes it (the runs route honours `charset=`). */
  handle: (body: Buffer, req: IncomingMessage, res: ServerResponse, team: string) => Promise<void>;
}): CustomRoute {
  const { deps } = options;
  return {
    path: options.path,
    method: ['POST'],
    handler: async (req, res) => {
      let team: string | null;
      try {
        team = await options.authenticate(bearer(req));
      } catch (error) {
        req.resume();
        if (isAppError(error, 'workspace_unknown')) {
          // Single-workspace mode before auth.test ever answered: refuse quickly, say when to retry.
          deps.logger.warn(`${options.what} was refused: ${error.message}`);
          sendJson(
            res,
            httpStatusOf(error),
            { error: error.code, message: `${error.message} Nothing was stored; retry later.` },
            { 'Retry-After': String(WORKSPACE_RETRY_AFTER_S) },
          );
          return;
        }
        deps.logger.error(`${options.what}: the ingest key could not be checked: ${describeError(error)}`);
        sendJson(res, 503, { error: 'unavailable', message: 'The key could not be checked. Retry later.' });
        return;
      }
      if (team === null) {
        req.resume();
        sendJson(
          res,
          401,
          {
            error: 'unauthorized',
            message: 'Send Authorization: Bearer <INGEST_TOKEN or an ingest key of your workspace>.',
          },
          { 'WWW-Authenticate': 'Bearer' },
        );
        return;
      }
      try {
        await options.handle(await readBody(req, options.maxBytes), req, res, team);
      } catch (error) {
        const status = httpStatusOf(error);
        if (isAppError(error, 'upload_too_large')) {
          sendJson(res, status, { error: error.code, message: error.message }, { Connection: 'close' });
        } else if (isAppError(error, 'upload_invalid')) {
          sendJson(res, status, {
            error: error.code,
            message: `${error.message} Nothing was stored.`,
            problems: error.problems,
            unlisted: error.unlisted,
            summary: formatProblems(error.problems, 5, error.unlisted),
          });
        } else if (isAppError(error, 'busy')) {
          sendJson(
            res,
            503,
            { error: error.code, message: `${error.message} Nothing was stored.` },
            { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) },
          );
        } else {
          deps.logger.error(`${options.what} could not be stored: ${describeError(error)}`);
          sendJson(res, 503, {
            error: 'unavailable',
            message: `${options.what} could not be stored; nothing was stored. Retry later.`,
          });
        }
      }
    },
  };
}

/** /healthz answers within this, whatever the store is doing. */
export const HEALTH_TIMEOUT_MS = 2_000;

export interface Health {
  /** `degraded`: the store answers but a workspace's data cannot be read (or too slowly). */
  status: 'ok' | 'degraded' | 'error';
  store: 'ok' | 'unavailable' | 'slow';
  workspaces: 'ok' | 'unreadable' | 'slow' | 'unknown';
  /**
   * Stored records that failed validation when read, in the workspaces read: they are left out of
   * dashboards and named there, so the service stays up, but an operator should know.
   */
  damaged_records?: number;
  /** For the log only. */
  detail: string;
}

/**
 * Reads what a dashboard reads (the run index, the settings and the newest run's aggregate of each
 * workspace, up to a few), bounded by `timeoutMs`: a store that answers pings while every
 * dashboard fails is not healthy.
 */
export async function checkHealth(store: Store, timeoutMs: number): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const step = async <T>(work: Promise<T>): Promise<T | 'late'> => Promise.race([work, late]);
  try {
    try {
      if ((await step(store.ping())) === 'late')
        return { status: 'error', store: 'slow', workspaces: 'unknown', detail: 'the store did not answer' };
    } catch (error) {
      return { status: 'error', store: 'unavailable', workspaces: 'unknown', detail: describeError(error) };
    }
    let damaged = 0;
    try {
      const read = async () => {
        for (const team of (await store.listWorkspaces()).slice(0, 5)) {
          const [runs] = await Promise.all([store.listRuns(team), store.getSettings(team)]);
          const newest = runs[0];
          if (newest) await store.getAggregates(team, [newest.run_id]);
          // Listed after the reads, so a damaged record met by them is counted too.
          damaged += (await store.listDamaged(team)).length;
        }
      };
      if ((await step(read())) === 'late')
        return {
          status: 'degraded',
          store: 'ok',
          workspaces: 'slow',
          detail: 'workspace reads are too slow',
        };
    } catch (error) {
      return { status: 'degraded', store: 'ok', workspaces: 'unreadable', detail: describeError(error) };
    }
    return { status: 'ok', store: 'ok', workspaces: 'ok', damaged_records: damaged, detail: '' };
  } finally {
    clearTimeout(timer);
  }
}

/** The workspace a bearer token writes into, or null when it is no valid token. */
export type IngestAuthenticator = (bearer: string | undefined) => Promise<string | null>;

/** How long an API client waits before retrying while the workspace is not known yet. */
export const WORKSPACE_RETRY_AFTER_S = 30;

export interface RouteOptions {
  deps: Deps;
  /** What happens after a run is stored (alerts evaluate it); never throws. */
  onStored: (event: RunStoredEvent) => Promise<void>;
  authenticate: IngestAuthenticator;
}

export function buildRoutes({ deps, authenticate, onStored }: RouteOptions): CustomRoute[] {
  const routes: CustomRoute[] = [
    {
      path: HEALTH_PATH,
      method: ['GET'],
      handler: async (_req, res) => {
        const health = await checkHealth(deps.store, HEALTH_TIMEOUT_MS);
        if (health.status !== 'ok') deps.logger.error(`Health check: ${health.detail}`);
        const { detail: _detail, ...body } = health;
        sendJson(res, health.status === 'ok' ? 200 : 503, { ...body, store_kind: deps.store.kind });
      },
    },
  ];
  routes.push(
    ingestRoute({
      path: INGEST_RUNS_PATH,
      deps,
      authenticate,
      maxBytes: deps.config.limits.maxBytes,
      what: 'The run',
      handle: async (body, req, res, team) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const contentType = req.headers['content-type'];
        // The format comes from the content when the type is generic (text/plain, octet-stream).
        const upload: UploadInput = { bytes: body, ...(contentType ? { contentType } : {}) };
        for (const key of ['started_at', 'run_id', 'label'] as const) {
          const v = url.searchParams.get(key);
          if (v !== null && v.trim() !== '') upload[key] = v.trim();
        }
        const scale = url.searchParams.get('score_scale');
        if (scale !== null && scale.trim() !== '') {
          const parsed = parseScoreScale(scale);
          if (!parsed) {
            throw new AppError('upload_invalid', 'The run has 1 problem.', {
              problems: [
                {
                  where: '',
                  field: 'score_scale',
                  message: `expected 0-100 or 0-1, got ${JSON.stringify(scale)}`,
                },
              ],
            });
          }
          upload.score_scale = parsed;
        }
        const result = await ingestRun({
          store: deps.store,
          team,
          upload,
          limits: deps.config.limits,
          ...(deps.prepareRun ? { prepare: deps.prepareRun } : {}),
          source: 'api',
          now: deps.now(),
          onStored: (runId, stored) => onStored({ team, runId, result: stored }),
        });
        deps.logger.info(`Stored run ${result.meta.run_id} from the ingest API.`);
        sendJson(res, 201, {
          run: result.meta,
          warnings: result.reading.warnings,
          replaced: result.replaced !== null,
          message: result.replaced
            ? `Run ${result.meta.run_id} replaced the earlier upload with the same run_id.`
            : `Run ${result.meta.run_id} stored.`,
        });
      },
    }),
  );
  return routes;
}
