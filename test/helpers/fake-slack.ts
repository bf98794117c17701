// biome-ignore-all lint/suspicious/noExplicitAny: recorded Slack payloads are arbitrary JSON; tests index into them freely

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call received by the fake, with its arguments decoded back into objects. */
export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  token: string | undefined;
  at: number;
}

/** A POST received on a `response_url` handed out by {@link FakeSlack.responseUrl}. */
export interface RecordedResponse {
  id: string;
  body: any;
  at: number;
}

/** Bytes POSTed to an upload URL handed out by `files.getUploadURLExternal`. */
export interface RecordedUpload {
  fileId: string;
  bytes: Buffer;
  filename?: string;
}

/** An installation Slack grants for an OAuth `code` (what `oauth.v2.access` answers for it). */
export interface FakeGrant {
  code: string;
  /** The workspace; omitted for an org-wide (Enterprise Grid) install. */
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  botToken: string;
  botUserId: string;
  botId?: string;
  /** The user who clicked Allow. */
  installerId: string;
  /** Default `commands,chat:write,files:read,files:write`. */
  scopes?: string;
  appId?: string;
}

/** What an {@link FakeSlack.on} handler may return besides a plain JSON body. */
export interface FakeHttpAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type MethodHandler = (args: Record<string, any>, call: RecordedCall) => unknown;

/**
 * A fault injected into a method's answers (see {@link FakeSlack.inject}): answer late, never, or
 * with an HTTP error. Slack has done the work when it answers late or not at all (a posted message
 * is in the channel's history); with `status`, only when `processed` is true.
 */
export type Fault =
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'status'; status: number; retryAfterSeconds?: number; processed?: boolean };

/** A message the fake holds in a channel's history (chat.postMessage). */
export interface FakeMessage {
  ts: string;
  text: unknown;
  thread_ts?: string;
  metadata?: unknown;
}

export interface FakeSlack {
  /** Base for @slack/web-api's `slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/` (trailing slash). */
  apiUrl: string;
  /** Origin, `http://127.0.0.1:PORT`. */
  origin: string;
  /** Every Web API call, in order (including rate-limited ones). */
  calls: RecordedCall[];
  /** Every POST to a response_url. */
  responses: RecordedResponse[];
  /** Bytes POSTed to upload URLs. */
  uploads: RecordedUpload[];
  /** A URL `${origin}/response/<id>` that records POSTs (answers 200 'ok'). */
  responseUrl(id?: string): string;
  /** Served at `${origin}/files/<path>`; when `token` is given, requires `Authorization: Bearer <token>` else 403. */
  serveFile(path: string, content: string | Buffer, opts?: { token?: string }): string;
  /**
   * Override a method's answer. The handler may return a JSON body (sent with 200), a
   * `{ status, headers?, body? }` answer (e.g. 429 + Retry-After), or `undefined` to fall back to the
   * default answer. It may be async. Calls are recorded either way.
   */
  on(method: string, handler: MethodHandler): void;
  /**
   * Make the next `times` calls of a method (those `match` accepts, e.g. one channel's) fail with
   * HTTP 429 and `Retry-After: retryAfterSeconds`.
   */
  rateLimitNext(
    method: string,
    times: number,
    retryAfterSeconds: number,
    match?: (args: Record<string, any>) => boolean,
  ): void;
  /** Apply `fault` to the next `times` calls of a method (Infinity: until `reset`) that `match` accepts. */
  inject(
    method: string,
    fault: Fault,
    options?: { times?: number; match?: (args: Record<string, any>) => boolean },
  ): void;
  /** The messages posted in a channel (chat.postMessage that Slack processed), oldest first. */
  messagesIn(channel: string): FakeMessage[];
  callsOf(method: string): RecordedCall[];
  /** Resolves with the first matching call (past or future); rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Resolves with the first matching response_url POST (past or future); rejects after `timeoutMs`. */
  waitForResponse(
    predicate: (r: { id: string; body: any }) => boolean,
    timeoutMs?: number,
  ): Promise<{ id: string; body: any }>;
  /**
   * Registers what `oauth.v2.access` answers for `grant.code` (once: a code is single-use, as in
   * Slack). From then on `auth.test` with the granted bot token answers for that team or org.
   */
  grantInstall(grant: FakeGrant): void;
  /** Calls with this token answer `token_revoked` from now on, as after an uninstall. */
  revokeToken(token: string): void;
  /** Back to the state right after start: clears calls, responses, uploads, overrides, rate limits and served files. */
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 50 * 1024 * 1024;
/** Slack takes files up to 1 GB through an upload URL. */
const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
const DEFAULT_WAIT_MS = 5000;

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  timer: NodeJS.Timeout;
}

interface ServedFile {
  content: Buffer;
  token: string | undefined;
}

class BodyTooLargeError extends Error {}

/** Start a fake Slack Web API on `127.0.0.1` and an ephemeral port. Close it with `close()`. */
export async function startFakeSlack(opts: { teamId?: string; botUserId?: string } = {}): Promise<FakeSlack> {
  const teamId = opts.teamId ?? 'T_TEST';
  const botUserId = opts.botUserId ?? 'U_BOT';

  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const uploads: RecordedUpload[] = [];
  const overrides = new Map<string, MethodHandler>();
  const rateLimits = new Map<
    string,
    { remaining: number; retryAfterSeconds: number; match?: (args: Record<string, any>) => boolean }
  >();
  const faults: Array<{
    method: string;
    fault: Fault;
    remaining: number;
    match?: (args: Record<string, any>) => boolean;
  }> = [];
  const channelMessages = new Map<string, FakeMessage[]>();
  const hanging = new Set<ServerResponse>();
  const files = new Map<string, ServedFile>();
  const uploadNames = new Map<string, string>();
  const dmChannels = new Map<string, string>();
  const grants = new Map<string, FakeGrant>();
  const grantedTokens = new Map<string, FakeGrant>();
  const revokedTokens = new Set<string>();
  const callWaiters = new Set<Waiter<RecordedCall>>();
  const responseWaiters = new Set<Waiter<RecordedResponse>>();
  let seq = 0;
  const next = () => ++seq;

  // Like Slack's: the current second, and a unique counter in the microseconds.
  const nextTs = (): string =>
    `${Math.floor(Date.now() / 1000)}.${String(next() % 1_000_000).padStart(6, '0')}`;
  const nextId = (prefix: string): string => `${prefix}${String(next()).padStart(8, '0')}`;

  let origin = '';

  const oauthAccess = (args: Record<string, any>): Record<string, unknown> => {
    if (!args.client_id || !args.client_secret) return { ok: false, error: 'invalid_client_id' };
    const grant = grants.get(String(args.code ?? ''));
    if (!grant) return { ok: false, error: 'invalid_code' };
    grants.delete(grant.code);
    grantedTokens.set(grant.botToken, grant);
    const org = grant.isEnterpriseInstall === true;
    return {
      ok: true,
      app_id: grant.appId ?? 'A_APOLLO',
      authed_user: { id: grant.installerId },
      scope: grant.scopes ?? 'commands,chat:write,files:read,files:write',
      token_type: 'bot',
      access_token: grant.botToken,
      bot_user_id: grant.botUserId,
      team: org || !grant.teamId ? null : { id: grant.teamId, name: grant.teamName ?? grant.teamId },
      enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: grant.enterpriseId } : null,
      is_enterprise_install: org,
    };
  };

  const defaultAnswer = (
    method: string,
    args: Record<string, any>,
    token: string | undefined,
  ): Record<string, unknown> => {
    const granted = token === undefined ? undefined : grantedTokens.get(token);
    switch (method) {
      case 'oauth.v2.access':
        return oauthAccess(args);
      case 'auth.test':
        if (granted) {
          return {
            ok: true,
            team_id: granted.teamId ?? '',
            user_id: granted.botUserId,
            bot_id: granted.botId ?? `B_${granted.botUserId}`,
            ...(granted.enterpriseId ? { enterprise_id: granted.enterpriseId } : {}),
            is_enterprise_install: granted.isEnterpriseInstall === true,
            url: `https://${(granted.teamId ?? granted.enterpriseId ?? 'x').toLowerCase()}.slack.com/`,
          };
        }
        return {
          ok: true,
          team_id: teamId,
          team: 'Test Team',
          user_id: botUserId,
          bot_id: 'B_BOT',
          user: 'apollo-bot',
          url: 'https://test.slack.com/',
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        const channel = String(args.channel ?? '');
        const held: FakeMessage = { ts, text: args.text };
        if (typeof args.thread_ts === 'string') held.thread_ts = args.thread_ts;
        if (args.metadata !== undefined) held.metadata = args.metadata;
        channelMessages.set(channel, [...(channelMessages.get(channel) ?? []), held]);
        return {
          ok: true,
          channel: args.channel,
          ts,
          message: {
            type: 'message',
            user: botUserId,
            bot_id: 'B_BOT',
            text: args.text,
            blocks: args.blocks,
            ts,
          },
        };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'conversations.history': {
        const oldest = Number(args.oldest ?? 0);
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const messages = [...(channelMessages.get(String(args.channel ?? '')) ?? [])]
          .filter((m) => m.thread_ts === undefined && Number(m.ts) >= oldest)
          .reverse()
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
          }));
        return { ok: true, messages, has_more: false };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish': {
        const view = isRecord(args.view) ? args.view : {};
        const id = typeof args.view_id === 'string' ? args.view_id : nextId('V');
        return { ok: true, view: { id, team_id: teamId, ...view } };
      }
      case 'conversations.open': {
        const users = String(args.users ?? args.channel ?? '');
        let id = dmChannels.get(users);
        if (id === undefined) {
          id = nextId('D');
          dmChannels.set(users, id);
        }
        return { ok: true, channel: { id } };
      }
      case 'files.getUploadURLExternal': {
        const fileId = nextId('F');
        if (typeof args.filename === 'string') uploadNames.set(fileId, args.filename);
        return { ok: true, upload_url: `${origin}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const list: unknown[] = Array.isArray(args.files) ? args.files : [];
        return {
          ok: true,
          files: list.map((f) => {
            const file = isRecord(f) ? f : {};
            const id = String(file.id ?? '');
            return { id, title: file.title ?? uploadNames.get(id) ?? id };
          }),
        };
      }
      default:
        return { ok: true };
    }
  };

  const notify = <T>(waiters: Set<Waiter<T>>, item: T): void => {
    for (const waiter of waiters) {
      if (waiter.predicate(item)) {
        clearTimeout(waiter.timer);
        waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    query: URLSearchParams,
  ) => {
    const raw = await readBody(req);
    const args: Record<string, any> = Object.fromEntries(
      [...query.entries()].map(([k, v]) => [k, decodeFormValue(v)]),
    );
    Object.assign(args, await parseArgs(raw, req.headers['content-type']));
    const auth = req.headers.authorization;
    const bearer = auth?.match(/^Bearer\s+(.+)$/i)?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    const call: RecordedCall = { method, args, token, at: Date.now() };
    calls.push(call);
    notify(callWaiters, call);

    if (token !== undefined && revokedTokens.has(token)) {
      sendJson(res, 200, { ok: false, error: 'token_revoked' });
      return;
    }

    const limit = rateLimits.get(method);
    if (limit && limit.remaining > 0 && (limit.match?.(args) ?? true)) {
      limit.remaining -= 1;
      if (limit.remaining === 0) rateLimits.delete(method);
      sendJson(
        res,
        429,
        { ok: false, error: 'ratelimited' },
        { 'Retry-After': String(limit.retryAfterSeconds) },
      );
      return;
    }

    const faultIndex = faults.findIndex((f) => f.method === method && (f.match?.(args) ?? true));
    const injected = faultIndex >= 0 ? faults[faultIndex] : undefined;
    if (injected) {
      injected.remaining -= 1;
      if (injected.remaining <= 0) faults.splice(faultIndex, 1);
    }
    const fault = injected?.fault;
    if (fault?.kind === 'status' && !fault.processed) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
      sendJson(
        res,
        fault.status,
        { ok: false, error: fault.status === 429 ? 'ratelimited' : 'fake_fault' },
        headers,
      );
      return;
    }
    const handler = overrides.get(method);
    let answer: unknown;
    if (handler) answer = await handler(args, call);
    if (answer === undefined) answer = defaultAnswer(method, args, token);
    if (fault?.kind === 'status') {
      sendJson(res, fault.status, { ok: false, error: 'fake_fault' });
      return;
    }
    if (fault?.kind === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault?.kind === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (res.destroyed) return;
    }
    if (isHttpAnswer(answer)) {
      const { status, headers = {}, body } = answer;
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
        res.end(body);
      } else {
        sendJson(res, status, body ?? {}, headers);
      }
      return;
    }
    sendJson(res, 200, answer);
  };

  const handleResponse = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const raw = await readBody(req);
    const text = raw.toString('utf8');
    let body: any = text;
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/x-www-form-urlencoded')) {
      body = await parseArgs(raw, type);
      if (typeof body.payload === 'object') body = body.payload;
    } else {
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
    }
    const recorded: RecordedResponse = { id, body, at: Date.now() };
    responses.push(recorded);
    notify(responseWaiters, recorded);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
  };

  const handleUpload = async (req: IncomingMessage, res: ServerResponse, fileId: string) => {
    const raw = await readBody(req, MAX_UPLOAD_BYTES);
    let bytes = raw;
    let filename = uploadNames.get(fileId);
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      // @slack/web-api wraps the bytes in a multipart form (field `body`, or `file` for other clients).
      const form = await new Request('http://fake.local/', {
        method: 'POST',
        headers: { 'content-type': type },
        body: raw,
      }).formData();
      for (const [, value] of form.entries()) {
        if (typeof value !== 'string') {
          bytes = Buffer.from(await value.arrayBuffer());
          filename ??= value.name;
          break;
        }
      }
    }
    const upload: RecordedUpload = { fileId, bytes };
    if (filename !== undefined) upload.filename = filename;
    uploads.push(upload);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  };

  const handleFile = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const file = files.get(path);
    if (!file) return notFound(res);
    if (file.token !== undefined && req.headers.authorization !== `Bearer ${file.token}`) {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end('forbidden');
      return;
    }
    res.writeHead(200, { 'Content-Type': contentTypeFor(path), 'Content-Length': file.content.length });
    res.end(req.method === 'HEAD' ? undefined : file.content);
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const isPost = req.method === 'POST';
    if (path.startsWith('/api/') && (isPost || req.method === 'GET')) {
      return handleApi(req, res, path.slice('/api/'.length), url.searchParams);
    }
    if (path.startsWith('/response/') && isPost)
      return handleResponse(req, res, path.slice('/response/'.length));
    if (path.startsWith('/upload/') && (isPost || req.method === 'PUT')) {
      return handleUpload(req, res, path.slice('/upload/'.length));
    }
    if (path.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD')) {
      return handleFile(req, res, path.slice('/files/'.length));
    }
    return notFound(res);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const tooLarge = error instanceof BodyTooLargeError;
      res.writeHead(tooLarge ? 413 : 500, { 'Content-Type': 'text/plain', Connection: 'close' });
      res.end(tooLarge ? 'payload too large' : `fake slack error: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  const waitOn = <T>(
    items: T[],
    waiters: Set<Waiter<T>>,
    predicate: (item: T) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> => {
    const found = items.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`fake slack: nothing matched within ${timeoutMs} ms; ${describe()}`));
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  };

  const fake: FakeSlack = {
    apiUrl: `${origin}/api/`,
    origin,
    calls,
    responses,
    uploads,
    responseUrl(id) {
      return `${origin}/response/${encodeURIComponent(id ?? nextId('R'))}`;
    },
    serveFile(path, content, fileOpts) {
      const clean = path.replace(/^\/+/, '');
      files.set(clean, {
        content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
        token: fileOpts?.token,
      });
      return `${origin}/files/${clean.split('/').map(encodeURIComponent).join('/')}`;
    },
    on(method, handler) {
      overrides.set(method, handler);
    },
    rateLimitNext(method, times, retryAfterSeconds, match) {
      if (times <= 0) {
        rateLimits.delete(method);
        return;
      }
      rateLimits.set(method, { remaining: times, retryAfterSeconds, ...(match ? { match } : {}) });
    },
    inject(method, fault, injectOptions = {}) {
      faults.push({
        method,
        fault,
        remaining: injectOptions.times ?? Number.POSITIVE_INFINITY,
        ...(injectOptions.match ? { match: injectOptions.match } : {}),
      });
    },
    messagesIn(channel) {
      return [...(channelMessages.get(channel) ?? [])];
    },
    callsOf(method) {
      return calls.filter((c) => c.method === method);
    },
    waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      return waitOn(calls, callWaiters, predicate, timeoutMs, () => {
        const seen = calls.map((c) => c.method);
        return seen.length > 0 ? `methods seen: ${seen.join(', ')}` : 'no calls seen';
      });
    },
    waitForResponse(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      return waitOn(responses, responseWaiters, predicate, timeoutMs, () => {
        const seen = responses.map((r) => `${r.id}: ${JSON.stringify(r.body).slice(0, 200)}`);
        return seen.length > 0 ? `responses seen: ${seen.join('; ')}` : 'no responses seen';
      });
    },
    grantInstall(grant) {
      grants.set(grant.code, grant);
    },
    revokeToken(token) {
      revokedTokens.add(token);
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      uploads.length = 0;
      overrides.clear();
      rateLimits.clear();
      faults.length = 0;
      channelMessages.clear();
      for (const res of hanging) res.destroy();
      hanging.clear();
      files.clear();
      uploadNames.clear();
      dmChannels.clear();
    },
    async close() {
      for (const waiter of [...callWaiters, ...responseWaiters]) clearTimeout(waiter.timer);
      callWaiters.clear();
      responseWaiters.clear();
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return fake;
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpAnswer(value: unknown): value is FakeHttpAnswer {
  if (!isRecord(value) || typeof value.status !== 'number') return false;
  return Object.keys(value).every((k) => k === 'status' || k === 'headers' || k === 'body');
}

/** Form values that look like JSON (the SDK JSON-encodes objects and arrays) are parsed back. */
function decodeFormValue(value: string): unknown {
  const trimmed = value.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

async function parseArgs(raw: Buffer, contentType: string | undefined): Promise<Record<string, any>> {
  if (raw.length === 0) return {};
  const type = contentType ?? '';
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return isRecord(parsed) ? parsed : { body: parsed };
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake.local/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const args: Record<string, any> = {};
    for (const [key, value] of form.entries()) {
      args[key] = typeof value === 'string' ? decodeFormValue(value) : Buffer.from(await value.arrayBuffer());
    }
    return args;
  }
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) args[key] = decodeFormValue(value);
  return args;
}

function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(`body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}

function contentTypeFor(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  switch (ext) {
    case 'csv':
      return 'text/csv; charset=utf-8';
    case 'json':
      return 'application/json; charset=utf-8';
    case 'txt':
      return 'text/plain; charset=utf-8';
    default:
      return 'application/octet-stream';
  }
}
