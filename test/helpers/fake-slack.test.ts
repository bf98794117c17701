import { createServer } from 'node:http';
import { verifySlackRequest } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { interactionBody, postSigned, signSlackRequest, slashCommandBody } from './signed-request.js';
import {
  assertAllSurfaces,
  assertResponseBody,
  assertSlackSurface,
  homeViewSchema,
  messageSchema,
  modalViewSchema,
} from './slack-limits.js';

const TOKEN = 'xoxb-test-token';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack({ teamId: 'T_FAKE' });
  client = new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    // Fast backoff for the retry after a 429; the Retry-After pause itself is the SDK's own.
    retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 },
  });
});

afterEach(() => fake.reset());

afterAll(async () => {
  await fake.close();
});

const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text } });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const validMessage = () => ({
  channel: 'C1',
  text: 'Dashboard',
  blocks: [
    header('Apollo dashboard'),
    section('*Accounts found:* 42'),
    { type: 'section', fields: [{ type: 'mrkdwn', text: '*a*' }] },
    { type: 'divider' },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Updated now' }] },
    {
      type: 'actions',
      block_id: 'dashboard_actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Refresh' },
          action_id: 'refresh',
          style: 'primary',
        },
      ],
    },
  ],
});

describe('fake Slack Web API', () => {
  it('answers auth.test with the configured team and records the bearer token', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, team_id: 'T_FAKE', user_id: 'U_BOT', bot_id: 'B_BOT' });
    expect(fake.callsOf('auth.test')).toHaveLength(1);
    expect(fake.calls[0]?.token).toBe(TOKEN);
  });

  it('records chat.postMessage with blocks parsed back into objects and unique increasing ts', async () => {
    const message = validMessage();
    const first = await client.chat.postMessage(message);
    const second = await client.chat.postMessage({ channel: 'C1', text: 'again' });
    expect(first.ok).toBe(true);
    expect(first.channel).toBe('C1');
    expect(first.message?.text).toBe('Dashboard');
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));

    const call = await fake.waitFor((c) => c.method === 'chat.postMessage');
    expect(call.args.channel).toBe('C1');
    expect(call.args.blocks).toEqual(message.blocks);
    expect(() => assertAllSurfaces(fake.calls)).not.toThrow();
  });

  it('uses an override, including a non-200 answer', async () => {
    fake.on('chat.postMessage', (args) => ({ ok: false, error: `not_in_channel:${args.channel}` }));
    await expect(client.chat.postMessage({ channel: 'C9', text: 'x' })).rejects.toMatchObject({
      data: { ok: false, error: 'not_in_channel:C9' },
    });
    fake.on('conversations.info', () => ({ status: 500, body: 'boom' }));
    await expect(client.conversations.info({ channel: 'C9' })).rejects.toMatchObject({ statusCode: 500 });
    // The SDK retries HTTP errors (here retryConfig.retries = 2), and every attempt is recorded.
    expect(fake.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'conversations.info',
      'conversations.info',
      'conversations.info',
    ]);
  });

  it('rateLimitNext makes the client wait Retry-After and retry', async () => {
    fake.rateLimitNext('chat.postMessage', 1, 1);
    const started = Date.now();
    const res = await client.chat.postMessage({ channel: 'C1', text: 'after the limit' });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(2);
  }, 10_000);

  it('files.uploadV2 goes through all three steps and stores the bytes', async () => {
    const res = await client.files.uploadV2({
      channel_id: 'C1',
      content: 'hello',
      filename: 'a.txt',
      initial_comment: 'c',
    });
    expect(res.ok).toBe(true);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    const getUrl = fake.callsOf('files.getUploadURLExternal')[0];
    expect(getUrl?.args).toMatchObject({ filename: 'a.txt', length: '5' });
    const complete = fake.callsOf('files.completeUploadExternal')[0];
    expect(complete?.args).toMatchObject({ channel_id: 'C1', initial_comment: 'c' });
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]?.bytes.toString('utf8')).toBe('hello');
    expect(fake.uploads[0]?.filename).toBe('a.txt');
    expect(complete?.args.files).toEqual([{ id: fake.uploads[0]?.fileId, title: 'a.txt' }]);
  });

  it('serves files, requiring the bearer token when one is set', async () => {
    const url = fake.serveFile('F1/run.csv', 'a,b\n1,2\n', { token: TOKEN });
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { Authorization: 'Bearer xoxb-wrong' } })).status).toBe(403);
    const ok = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('a,b\n1,2\n');
    const open = fake.serveFile('public.txt', Buffer.from('hi'));
    expect(await (await fetch(open)).text()).toBe('hi');
    expect((await fetch(`${fake.origin}/nope`)).status).toBe(404);
  });

  it('records response_url posts and waits for future ones', async () => {
    const url = fake.responseUrl('cmd-1');
    const waiting = fake.waitForResponse((r) => r.id === 'cmd-1');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Working…' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect((await waiting).body).toEqual({ response_type: 'ephemeral', text: 'Working…' });
    expect(fake.responses).toHaveLength(1);
  });

  it('waitFor resolves on a future call and rejects listing the methods seen', async () => {
    const waiting = fake.waitFor((c) => c.method === 'views.publish');
    await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [section('hi')] } });
    const call = await waiting;
    expect(call.args.view).toEqual({ type: 'home', blocks: [section('hi')] });
    await expect(fake.waitFor((c) => c.method === 'chat.update', 50)).rejects.toThrow(/views\.publish/);
  });

  it('accepts application/json bodies and a token form field', async () => {
    await fetch(`${fake.apiUrl}chat.update`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer xoxb-json' },
      body: JSON.stringify({ channel: 'C1', ts: '1.2', text: 'x' }),
    });
    const res = await fetch(`${fake.apiUrl}conversations.open`, {
      method: 'POST',
      body: new URLSearchParams({ token: 'xoxb-form', users: 'U1' }),
    });
    expect(await res.json()).toEqual({ ok: true, channel: { id: expect.stringMatching(/^D/) } });
    expect(fake.calls.map((c) => [c.method, c.token])).toEqual([
      ['chat.update', 'xoxb-json'],
      ['conversations.open', 'xoxb-form'],
    ]);
  });
});

describe('signed requests', () => {
  it('signs the way Slack does and Bolt verifies it', async () => {
    const secret = 'shhh';
    const body = slashCommandBody({ text: 'status', responseUrl: fake.responseUrl('x') });
    const params = new URLSearchParams(body);
    expect(params.get('command')).toBe('/apollo-dashboard');
    expect(params.get('text')).toBe('status');
    expect(params.get('response_url')).toBe(`${fake.origin}/response/x`);

    const now = Math.floor(Date.now() / 1000);
    const signature = signSlackRequest(secret, body, now);
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': now },
      }),
    ).not.toThrow();
    expect(() =>
      verifySlackRequest({
        signingSecret: 'other',
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': now },
      }),
    ).toThrow();
  });

  it('postSigned sends the signature headers', async () => {
    const secret = 'shhh';
    const payload = { type: 'block_actions', actions: [{ action_id: 'refresh' }] };
    const body = interactionBody(payload);
    expect(JSON.parse(new URLSearchParams(body).get('payload') ?? '')).toEqual(payload);

    const received: { headers: Headers; body: string }[] = [];
    // The fake API records args only, so check the headers on a tiny loopback server.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          headers: new Headers(req.headers as Record<string, string>),
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const res = await postSigned(`http://127.0.0.1:${port}/slack/events`, body, {
        secret,
        timestamp: 1_700_000_000,
      });
      expect(res).toEqual({ status: 200, text: '{"ok":true}', json: { ok: true } });
      const got = received[0];
      expect(got?.body).toBe(body);
      expect(got?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
      expect(got?.headers.get('x-slack-request-timestamp')).toBe('1700000000');
      expect(got?.headers.get('x-slack-signature')).toBe(signSlackRequest(secret, body, 1_700_000_000));

      await postSigned(`http://127.0.0.1:${port}/`, '{}', {
        secret,
        contentType: 'application/json',
        signature: 'v0=bad',
      });
      expect(received[1]?.headers.get('x-slack-signature')).toBe('v0=bad');
      expect(received[1]?.headers.get('content-type')).toBe('application/json');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('Slack limit schemas', () => {
  it('accepts a valid message, modal and home view', () => {
    expect(messageSchema.safeParse(validMessage()).success).toBe(true);
    expect(
      modalViewSchema.safeParse({
        type: 'modal',
        callback_id: 'upload_run',
        title: { type: 'plain_text', text: 'Upload a run' },
        submit: { type: 'plain_text', text: 'Upload' },
        blocks: [
          {
            type: 'input',
            block_id: 'file',
            label: { type: 'plain_text', text: 'CSV export' },
            element: { type: 'file_input', action_id: 'file', filetypes: ['csv'], max_files: 1 },
          },
          {
            type: 'input',
            block_id: 'note',
            optional: true,
            label: { type: 'plain_text', text: 'Note' },
            element: { type: 'plain_text_input', action_id: 'note', max_length: 3000, multiline: true },
          },
        ],
      }).success,
    ).toBe(true);
    expect(homeViewSchema.safeParse({ type: 'home', blocks: [section('hi')] }).success).toBe(true);
    expect(() => assertResponseBody({ delete_original: true })).not.toThrow();
    expect(() => assertResponseBody({ response_type: 'ephemeral', text: 'ok' })).not.toThrow();
  });

  it('rejects a 151-character header with a readable path', () => {
    const call = { method: 'chat.postMessage', args: { text: 't', blocks: [header('x'.repeat(151))] } };
    expect(() => assertSlackSurface(call)).toThrow(/blocks\[0\]\.text\.text/);
    expect(() =>
      assertSlackSurface({ ...call, args: { text: 't', blocks: [header('x'.repeat(150))] } }),
    ).not.toThrow();
  });

  it('rejects 51 blocks, an 11-field section and too much block text', () => {
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(messageSchema.safeParse({ text: 't', blocks: many }).success).toBe(false);
    expect(messageSchema.safeParse({ text: 't', blocks: many.slice(1) }).success).toBe(true);
    const fields = Array.from({ length: 11 }, (_, i) => ({ type: 'mrkdwn', text: `f${i}` }));
    expect(messageSchema.safeParse({ text: 't', blocks: [{ type: 'section', fields }] }).success).toBe(false);
    const long = Array.from({ length: 5 }, () => section('x'.repeat(2900)));
    expect(() => assertSlackSurface({ method: 'chat.update', args: { text: 't', blocks: long } })).toThrow(
      /msg_blocks_too_long/,
    );
    expect(() => assertSlackSurface({ method: 'chat.postMessage', args: { text: '', blocks: [] } })).toThrow(
      /text fallback/,
    );
  });

  it('rejects a 25-character modal title and unknown block properties', () => {
    const view = { type: 'modal', title: { type: 'plain_text', text: 'x'.repeat(25) }, blocks: [] };
    expect(() => assertSlackSurface({ method: 'views.open', args: { trigger_id: 't', view } })).toThrow(
      /view\.title\.text/,
    );
    expect(() =>
      assertSlackSurface({
        method: 'views.publish',
        args: { view: { type: 'home', blocks: [{ type: 'divder' }] } },
      }),
    ).toThrow(/views\.publish/);
    const button = { type: 'button', text: { type: 'plain_text', text: 'x'.repeat(76) }, action_id: 'a' };
    expect(
      messageSchema.safeParse({ text: 't', blocks: [{ type: 'actions', elements: [button] }] }).success,
    ).toBe(false);
    expect(() => assertSlackSurface({ method: 'auth.test', args: {} })).not.toThrow();
  });
});
