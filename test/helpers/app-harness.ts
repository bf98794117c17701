// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads and responses are arbitrary JSON in tests
/**
 * The whole app as Slack uses it: the real Bolt HTTP receiver on a loopback port, a real SQLite
 * store in a temp dir, and the fake Slack Web API for everything the app sends.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type RunningApp, type UploadLane } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { SlackPolicy } from '../../src/slack/delivery.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { interactionBody, postSigned, type SignedResponse, slashCommandBody } from './signed-request.js';
import { readDates } from './slack-dates.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token-42';
export const INGEST_TOKEN = 'ingest-token-0123456789abcdef';
export const TEAM = 'T_TEST';

export interface Harness {
  fake: FakeSlack;
  running: RunningApp;
  store: Store;
  url: string;
  dir: string;
  logs: string[];
  /** Sends `/apollo-dashboard <text>`; returns the ack and a way to wait for the response_url reply. */
  command(
    text: string,
    options?: { user?: string; channel?: string; team?: string; enterprise?: string; orgInstall?: boolean },
  ): Promise<{ ack: SignedResponse; reply: (timeoutMs?: number) => Promise<any>; responseId: string }>;
  interact(payload: object): Promise<SignedResponse>;
  /**
   * POSTs a run to the ingest API. The API answers before alerts are delivered; unless `settle` is
   * false this then waits for that delivery too, so a test can look at what was posted.
   */
  ingest(
    body: string | Uint8Array,
    options?: { contentType?: string; query?: string; token?: string | null; settle?: boolean },
  ): Promise<{
    status: number;
    json: any;
  }>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startHarness(
  options: {
    env?: Record<string, string>;
    now?: () => Date;
    dir?: string;
    /** Set up the fake Slack before the app starts (e.g. an auth.test that does not answer). */
    beforeStart?: (fake: FakeSlack) => void;
    slackPolicy?: Partial<SlackPolicy>;
    digestResyncMs?: number;
    uploadLane?: UploadLane;
  } = {},
): Promise<Harness> {
  const fake = await startFakeSlack({ teamId: TEAM });
  options.beforeStart?.(fake);
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'apollo-app-')));
  const logs: string[] = [];
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_API_URL: fake.apiUrl,
    STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    INGEST_TOKEN,
    LOG_LEVEL: 'info',
    ...options.env,
  });
  let store = await openStore({ url: config.storeUrl });
  const logger = createLogger({
    level: config.logLevel,
    secrets: [
      BOT_TOKEN,
      SIGNING_SECRET,
      INGEST_TOKEN,
      ...['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_KEY'].flatMap(
        (k) => options.env?.[k] ?? [],
      ),
    ],
    write: (line) => logs.push(line),
  });
  const nowFn = options.now ?? (() => new Date());
  // Bolt checks the token (auth.test) as the app is built, without retries: let that call finish
  // before a test may close the fake, or its failure would surface as an unhandled rejection.
  let builtAt = Date.now();
  const authChecked = async () => {
    // Only a single-workspace app (one bot token) checks it at start; OAuth mode has none yet.
    if (!config.botToken) return;
    await fake.waitFor((c) => c.method === 'auth.test' && c.at >= builtAt, 5_000).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const appOptions = {
    now: nowFn,
    ...(options.slackPolicy ? { slackPolicy: options.slackPolicy } : {}),
    ...(options.digestResyncMs !== undefined ? { digestResyncMs: options.digestResyncMs } : {}),
    ...(options.uploadLane ? { uploadLane: options.uploadLane } : {}),
  };
  let running = createApp({ config, store, logger, ...appOptions });
  let { port } = await running.start();
  await authChecked();
  const harness: Harness = {
    fake,
    get running() {
      return running;
    },
    get store() {
      return store;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    dir,
    logs,
    async command(text, o = {}) {
      counter += 1;
      const responseId = `cmd-${counter}`;
      const body = slashCommandBody({
        text,
        teamId: o.team ?? TEAM,
        userId: o.user ?? 'U_ADMIN',
        channelId: o.channel ?? 'C_GENERAL',
        responseUrl: fake.responseUrl(responseId),
        triggerId: `trigger-${counter}`,
        ...(o.enterprise ? { enterpriseId: o.enterprise } : {}),
        ...(o.orgInstall ? { isEnterpriseInstall: true } : {}),
      });
      const ack = await postSigned(`${harness.url}/slack/events`, body, { secret: SIGNING_SECRET });
      return {
        ack,
        responseId,
        reply: async (timeoutMs = 5000) =>
          (await fake.waitForResponse((r) => r.id === responseId, timeoutMs)).body,
      };
    },
    interact(payload) {
      return postSigned(`${harness.url}/slack/events`, interactionBody(payload), { secret: SIGNING_SECRET });
    },
    async ingest(body, o = {}) {
      const headers: Record<string, string> = { 'Content-Type': o.contentType ?? 'application/json' };
      const token = o.token === undefined ? INGEST_TOKEN : o.token;
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      const res = await fetch(`${harness.url}/api/runs${o.query ?? ''}`, { method: 'POST', headers, body });
      const text = await res.text();
      if (o.settle !== false) await running.settle();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json };
    },
    async restart() {
      // The app may already be stopped (a test simulating downtime stops it first).
      await running.stop().catch(() => undefined);
      await store.close();
      store = await openStore({ url: config.storeUrl });
      builtAt = Date.now();
      running = createApp({ config, store, logger, ...appOptions });
      ({ port } = await running.start());
      await authChecked();
    },
    async stop() {
      await running.stop().catch(() => undefined);
      await store.close().catch(() => undefined);
      await fake.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * All the text a person would read in a message body: top-level text and every block's text, with
 * Slack date tokens read as their fallback (what a notification shows; the tokens have their own tests).
 */
export function visibleText(body: any): string {
  const parts: string[] = [];
  const walk = (v: any) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (typeof v === 'object') {
      if (typeof v.text === 'string') parts.push(v.text);
      for (const [k, x] of Object.entries(v)) if (k !== 'text') walk(x);
      if (typeof v.text === 'object') walk(v.text);
    }
  };
  if (typeof body?.text === 'string') parts.push(body.text);
  walk(body?.blocks ?? []);
  return readDates(parts.join('\n'));
}

export function blockActionPayload(o: {
  actionId: string;
  value: string;
  user?: string;
  responseUrl: string;
  blockId?: string;
}): object {
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'test' },
    user: { id: o.user ?? 'U_ADMIN', username: 'admin', team_id: TEAM },
    api_app_id: 'A_TEST',
    token: 'legacy',
    container: { type: 'message', message_ts: '1.1', channel_id: 'C_GENERAL', is_ephemeral: true },
    trigger_id: 'trigger-action',
    channel: { id: 'C_GENERAL', name: 'general' },
    response_url: o.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: o.actionId,
        block_id: o.blockId ?? 'block',
        value: o.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1700000000.000001',
      },
    ],
  };
}

export function viewSubmissionPayload(o: {
  callbackId: string;
  values: Record<string, Record<string, any>>;
  privateMetadata?: string;
  user?: string;
  /** The workspace the form was submitted in (default TEAM). */
  team?: string;
}): object {
  const team = o.team ?? TEAM;
  return {
    type: 'view_submission',
    team: { id: team, domain: 'test' },
    user: { id: o.user ?? 'U_ADMIN', username: 'admin', name: 'admin', team_id: team },
    api_app_id: 'A_TEST',
    token: 'legacy',
    trigger_id: 'trigger-view',
    view: {
      id: 'V_UPLOAD',
      team_id: team,
      type: 'modal',
      callback_id: o.callbackId,
      private_metadata: o.privateMetadata ?? '',
      state: { values: o.values },
      hash: 'h',
      title: { type: 'plain_text', text: 'Upload a run' },
      blocks: [],
    },
    response_urls: [],
  };
}
