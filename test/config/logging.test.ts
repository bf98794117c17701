/**
 * LOG_FORMAT=json (one parseable object per line, fields, redaction) and LOG_LEVEL obeyed by the
 * whole app: Bolt resets a logger to INFO, so each level is checked on the real Bolt receiver with
 * lines Bolt itself writes at every level.
 */
import { LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger, type LogLevelName, redact } from '../../src/logger.js';
import {
  BOT_TOKEN,
  blockActionPayload,
  type Harness,
  INGEST_TOKEN,
  SIGNING_SECRET,
  startHarness,
} from '../helpers/app-harness.js';
import { postSigned } from '../helpers/signed-request.js';

const BOT = 'xoxb-1111-2222-JSONsecret';
const USER = 'xoxp-3333-4444-JSONsecret';
const APP = 'xapp-1-A0B1-555-JSONsecret';
const SIGNING = 'signing"secret\\with-quotes-0123';
const HOOK = 'https://hooks.slack.com/commands/T1/123/JSONsecretHook';
const FIXED = new Date('2026-11-24T09:30:00.123Z');

function jsonLogger(level: LogLevelName = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    format: 'json',
    secrets: [SIGNING],
    now: () => FIXED,
    write: (line) => lines.push(line),
  });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('LOG_FORMAT', () => {
  it('is text unless set to json, and rejects anything else by name', () => {
    const base = { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'abcdefgh12345678' };
    expect(loadConfig(base).logFormat).toBe('text');
    expect(loadConfig({ ...base, LOG_FORMAT: ' JSON ' }).logFormat).toBe('json');
    expect(loadConfig({ ...base, LOG_FORMAT: '' }).logFormat).toBe('text');
    expect(() => loadConfig({ ...base, LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be text or json/);
  });

  it('json: one object per line with time, level, logger and message', () => {
    const { logger, lines, parsed } = jsonLogger();
    logger.setName('jobs');
    logger.debug('one');
    logger.info('two', 'parts', 3);
    logger.warn('three');
    logger.error(new TypeError('four'));
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toContain('\n');
    expect(parsed()).toEqual([
      { time: '2026-11-24T09:30:00.123Z', level: 'debug', logger: 'jobs', message: 'one' },
      { time: '2026-11-24T09:30:00.123Z', level: 'info', logger: 'jobs', message: 'two parts 3' },
      { time: '2026-11-24T09:30:00.123Z', level: 'warn', logger: 'jobs', message: 'three' },
      { time: '2026-11-24T09:30:00.123Z', level: 'error', logger: 'jobs', message: 'TypeError: four' },
    ]);
  });

  it('json: a plain object argument gives fields; reserved names are kept apart', () => {
    const { logger, parsed } = jsonLogger();
    logger.info('Stored run.', { team: 'T1', run_id: 'run-7', request_id: 'req-9', duration_ms: 42 });
    logger.info('Odd.', { message: 'not the message', level: 'x', nested: { a: [1, 2] } });
    const [stored, odd] = parsed();
    expect(stored).toEqual({
      time: '2026-11-24T09:30:00.123Z',
      level: 'info',
      logger: 'apollo-dashboard',
      message: 'Stored run.',
      team: 'T1',
      run_id: 'run-7',
      request_id: 'req-9',
      duration_ms: 42,
    });
    expect(odd).toMatchObject({
      level: 'info',
      message: 'Odd.',
      field_message: 'not the message',
      field_level: 'x',
      nested: { a: [1, 2] },
    });
  });

  it('json: the same redaction as text, in the message, in fields and in nested values', () => {
    const { logger, lines, parsed } = jsonLogger();
    logger.info(`bot ${BOT} user ${USER}`, { app: APP, deep: { list: [`Bearer abc.DEF-123_xyz`] } });
    logger.warn(new Error(`signed with ${SIGNING}`), { response_url: HOOK, token: 'legacy-verification' });
    logger.debug(JSON.stringify({ token: 'payload-verification', response_url: HOOK }));
    logger.info(
      'circular',
      (() => {
        const o: Record<string, unknown> = { secret: BOT };
        o.self = o;
        return { o };
      })(),
    );
    const all = lines.join('\n');
    for (const secret of [BOT, USER, APP, 'abc.DEF-123_xyz', 'JSONsecretHook', 'legacy-verification']) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toContain('payload-verification');
    // The signing secret holds characters JSON escapes; neither form may appear.
    expect(all).not.toContain(SIGNING);
    expect(all).not.toContain(JSON.stringify(SIGNING).slice(1, -1));
    const [first, second, third, fourth] = parsed();
    expect(first).toMatchObject({
      message: 'bot [redacted] user [redacted]',
      app: '[redacted]',
      deep: { list: ['[redacted]'] },
    });
    expect(second).toMatchObject({
      message: 'Error: signed with [redacted]',
      response_url: '[redacted]',
      token: '[redacted]',
    });
    expect(JSON.parse(String(third?.message))).toEqual({ token: '[redacted]', response_url: '[redacted]' });
    expect(fourth).toMatchObject({ message: 'circular', fields: '[unserializable]' });
  });

  it('text stays the default format, with the same redaction', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', secrets: [SIGNING], write: (l) => lines.push(l) });
    logger.info(`Stored for ${BOT} with ${SIGNING}`, { team: 'T1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d{2}-\d{2}T\S+Z INFO \[apollo-dashboard\] Stored for \[redacted\] with \[redacted\] \{"team":"T1"\}$/,
    );
  });

  it('redact also removes response URLs and payload verification tokens', () => {
    expect(redact(`reply to ${HOOK} now`)).toBe('reply to [redacted] now');
    expect(redact('{"token":"abc123","team_id":"T1"}')).toBe('{"token":"[redacted]","team_id":"T1"}');
  });
});

describe('LOG_LEVEL is the only level', () => {
  it('setLevel (what Bolt calls with its own default) does not change it', () => {
    for (const level of ['debug', 'error'] as const) {
      const lines: string[] = [];
      const logger = createLogger({ level, write: (l) => lines.push(l) });
      logger.setLevel(level === 'debug' ? LogLevel.INFO : LogLevel.DEBUG);
      expect(logger.getLevel()).toBe(level);
      logger.debug('d');
      logger.info('i');
      logger.error('e');
      expect(lines.map((l) => l.split(' ')[1])).toEqual(
        level === 'debug' ? ['DEBUG', 'INFO', 'ERROR'] : ['ERROR'],
      );
    }
  });
});

const RANK: Record<LogLevelName, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Lines the app and Bolt write at each level, each provoked by a real request below. */
const PROBES: { level: LogLevelName; who: string; pattern: RegExp }[] = [
  { level: 'debug', who: 'Bolt', pattern: / DEBUG \[[^\]]+\] Initializing HTTPReceiver$/ },
  { level: 'info', who: 'the app', pattern: / INFO \[[^\]]+\] Listening on 127\.0\.0\.1:\d+ / },
  {
    level: 'info',
    who: 'Bolt',
    pattern: / INFO \[[^\]]+\] Unhandled HTTP request \(GET\) made to \/no-such-path$/,
  },
  { level: 'warn', who: 'Bolt', pattern: / WARN \[[^\]]+\] Failed to parse and verify the request data/ },
  {
    level: 'error',
    who: 'Bolt',
    pattern: / ERROR \[[^\]]+\] An incoming event was not acknowledged within 3 seconds/,
  },
];

async function waitForLine(logs: string[], pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!logs.some((l) => pattern.test(l))) {
    if (Date.now() > deadline) throw new Error(`no log line matched ${pattern} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.concurrent('the running app obeys LOG_LEVEL, Bolt included', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.stop()));
  });

  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    it(`LOG_LEVEL=${level}`, async () => {
      const h = await startHarness({ env: { LOG_LEVEL: level } });
      harnesses.push(h);
      // Bolt's INFO: a path nobody serves. Bolt's WARN: a bad signature.
      expect((await fetch(`${h.url}/no-such-path`)).status).toBe(404);
      const bad = await postSigned(`${h.url}/slack/events`, 'command=%2Fapollo-dashboard', {
        secret: 'wrong',
      });
      expect(bad.status).toBe(401);
      // A command at debug level makes Bolt and the Web API client log requests and payloads.
      const help = await h.command('help');
      expect(help.ack.status).toBe(200);
      // Bolt's ERROR: an action no listener acknowledges, reported after Bolt's 3-second window.
      await h.interact(
        blockActionPayload({
          actionId: 'no_such_action',
          value: 'x',
          responseUrl: h.fake.responseUrl('none'),
        }),
      );
      await waitForLine(h.logs, PROBES[PROBES.length - 1]?.pattern ?? /$^/, 8_000);

      for (const probe of PROBES) {
        const shown = h.logs.some((l) => probe.pattern.test(l));
        expect({ probe: `${probe.who} ${probe.level}`, shown }).toEqual({
          probe: `${probe.who} ${probe.level}`,
          shown: RANK[probe.level] >= RANK[level],
        });
      }
      const levels = h.logs.map((l) => l.split(' ')[1]?.toLowerCase() as LogLevelName);
      for (const at of levels) expect(RANK[at]).toBeGreaterThanOrEqual(RANK[level]);
      if (level === 'debug') expect(h.logs.length).toBeGreaterThan(PROBES.length);
      const all = h.logs.join('\n');
      for (const secret of [BOT_TOKEN, SIGNING_SECRET, INGEST_TOKEN]) expect(all).not.toContain(secret);
    });
  }
});
