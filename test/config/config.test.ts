import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { loadConfig, README_SETUP } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { createLogger, redact } from '../../src/logger.js';

const BOT = 'xoxb-SECRET-123';
const SIGNING = 'signing-SECRET-456789';
const APP = 'xapp-1-SECRET-789';
const INGEST = 'ingest-SECRET-0123456789';

const valid = { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING };

function configError(env: Record<string, string | undefined>): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

function expectNoSecrets(text: string): void {
  for (const secret of [BOT, SIGNING, APP, INGEST]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/-SECRET-/);
}

describe('loadConfig', () => {
  it('names both required Slack variables and points to the README when the environment is empty', () => {
    const error = configError({});
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('SLACK_BOT_TOKEN');
    expect(error.message).toContain('SLACK_SIGNING_SECRET');
    expect(error.message).toMatch(/Missing environment variables/);
    expect(error.message).toContain(README_SETUP);
    expect(error.message).toContain('README.md');
  });

  it('treats blank values as missing', () => {
    const error = configError({ SLACK_BOT_TOKEN: '   ', SLACK_SIGNING_SECRET: '' });
    expect(error.message).toMatch(/Missing environment variables: .*SLACK_BOT_TOKEN/);
    expect(error.message).toContain('SLACK_SIGNING_SECRET');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DEFAULT_TIMEZONE', 'Mars/Base'],
    ['STORE_URL', 'mysql://db/apollo'],
    ['LOG_LEVEL', 'chatty'],
    ['MAX_UPLOAD_MB', '-1'],
    ['MAX_COMPANIES', 'lots'],
    ['SLACK_API_URL', 'not a url'],
  ])('names a bad %s (%s) and never prints the secrets given with it', (name, value) => {
    const error = configError({ ...valid, SLACK_APP_TOKEN: APP, INGEST_TOKEN: INGEST, [name]: value });
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(new RegExp(`Invalid environment variables: .*${name}`));
    expect(error.message).toContain('README.md');
    expectNoSecrets(error.message);
  });

  it('names a bot token of the wrong kind without printing it', () => {
    const error = configError({ SLACK_BOT_TOKEN: 'nope', SLACK_SIGNING_SECRET: SIGNING });
    expect(error.message).toContain('SLACK_BOT_TOKEN');
    expect(error.message).toMatch(/xoxb-/);
    expect(error.message).not.toContain('nope');
    expectNoSecrets(error.message);
  });

  it('names wrong-kind app and ingest tokens without printing them', () => {
    const wrongApp = 'xoxb-SECRET-used-as-app-token';
    const error = configError({ ...valid, SLACK_APP_TOKEN: wrongApp, INGEST_TOKEN: 'x-SECRET-short' });
    expect(error.message).toContain('SLACK_APP_TOKEN');
    expect(error.message).toContain('INGEST_TOKEN');
    expect(error.message).not.toContain(wrongApp);
    expectNoSecrets(error.message);
  });

  it('names every bad variable at once, and the missing signing secret alongside', () => {
    const error = configError({ SLACK_BOT_TOKEN: BOT, PORT: 'abc', DEFAULT_TIMEZONE: 'Mars/Base' });
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('DEFAULT_TIMEZONE');
    expect(error.message).toContain('SLACK_SIGNING_SECRET');
    expectNoSecrets(error.message);
  });

  it('accepts Socket Mode: an app token and no signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(config.appToken).toBe(APP);
    expect(config.signingSecret).toBeUndefined();
    expect(config.botToken).toBe(BOT);
  });

  it('applies the defaults', () => {
    const config = loadConfig(valid);
    expect(config).toEqual({
      botToken: BOT,
      signingSecret: SIGNING,
      appToken: undefined,
      port: 3000,
      host: '0.0.0.0',
      slackApiUrl: undefined,
      storeUrl: 'sqlite://data/apollo-dashboard.sqlite',
      ingestToken: undefined,
      adminUserIds: [],
      defaultTimeZone: 'UTC',
      logLevel: 'info',
      logFormat: 'text',
      limits: { maxBytes: 20 * 1024 * 1024, maxCompanies: 100_000 },
    });
  });

  it.each(['postgres://apollo:pw@db.internal:5432/apollo', 'postgresql://db/apollo'])(
    'takes a PostgreSQL STORE_URL (%s)',
    (storeUrl) => {
      expect(loadConfig({ ...valid, STORE_URL: storeUrl }).storeUrl).toBe(storeUrl);
    },
  );

  it('reads the optional settings', () => {
    const config = loadConfig({
      ...valid,
      PORT: '8080',
      HOST: '127.0.0.1',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      STORE_URL: 'sqlite:///var/lib/apollo/store.sqlite',
      INGEST_TOKEN: INGEST,
      DEFAULT_TIMEZONE: 'Europe/Berlin',
      LOG_LEVEL: ' DEBUG ',
      MAX_UPLOAD_MB: '5',
      MAX_COMPANIES: '2000',
    });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.slackApiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.storeUrl).toBe('sqlite:///var/lib/apollo/store.sqlite');
    expect(config.ingestToken).toBe(INGEST);
    expect(config.defaultTimeZone).toBe('Europe/Berlin');
    expect(config.logLevel).toBe('debug');
    expect(config.limits).toEqual({ maxBytes: 5 * 1024 * 1024, maxCompanies: 2000 });
  });

  it('splits ADMIN_USER_IDS on commas and drops blanks', () => {
    expect(loadConfig({ ...valid, ADMIN_USER_IDS: ' U1, U2 ,,U3 , ' }).adminUserIds).toEqual([
      'U1',
      'U2',
      'U3',
    ]);
    expect(loadConfig({ ...valid, ADMIN_USER_IDS: 'U1' }).adminUserIds).toEqual(['U1']);
    expect(loadConfig({ ...valid, ADMIN_USER_IDS: '  ' }).adminUserIds).toEqual([]);
  });

  it('treats blank optional values as unset', () => {
    const config = loadConfig({
      ...valid,
      PORT: '',
      DEFAULT_TIMEZONE: ' ',
      STORE_URL: '',
      SLACK_APP_TOKEN: '',
    });
    expect(config.port).toBe(3000);
    expect(config.defaultTimeZone).toBe('UTC');
    expect(config.storeUrl).toBe('sqlite://data/apollo-dashboard.sqlite');
    expect(config.appToken).toBeUndefined();
  });
});

describe('redact', () => {
  it('removes Slack bot, user and app-level tokens', () => {
    const text = 'bot xoxb-1234-5678-abcDEF user xoxp-99-aa app xapp-1-A0B1-999-f00d end';
    const out = redact(text);
    expect(out).not.toMatch(/xox[bp]-\w/);
    expect(out).not.toMatch(/xapp-\w/);
    expect(out).toBe('bot [redacted] user [redacted] app [redacted] end');
  });

  it('removes Bearer values', () => {
    const out = redact('headers: {"Authorization":"Bearer abc.DEF-123_xyz"} and bearer   zzz999');
    expect(out).not.toContain('abc.DEF-123_xyz');
    expect(out).not.toContain('zzz999');
    expect(out).toContain('[redacted]');
  });

  it('removes the secrets it is given, wherever they appear', () => {
    const out = redact(`sig=${SIGNING}; again:${SIGNING}! ingest ${INGEST}`, [SIGNING, INGEST]);
    expect(out).toBe('sig=[redacted]; again:[redacted]! ingest [redacted]');
  });

  it('leaves ordinary text alone', () => {
    expect(redact('Stored run run-1 for T123 (42 companies).', [SIGNING])).toBe(
      'Stored run run-1 for T123 (42 companies).',
    );
  });
});

describe('createLogger', () => {
  function capture(level: 'debug' | 'info' | 'warn' | 'error', secrets: string[] = []) {
    const lines: string[] = [];
    const logger = createLogger({ level, secrets, write: (line) => lines.push(line) });
    return { logger, lines };
  }

  it('writes only at or above its level', () => {
    const { logger, lines } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ WARN .* w$/);
    expect(lines[1]).toMatch(/ ERROR .* e$/);
  });

  it('writes everything at debug, and keeps its level when a library calls setLevel', () => {
    const { logger, lines } = capture('debug');
    logger.debug('one');
    logger.info('two');
    expect(lines).toHaveLength(2);
    logger.setLevel(LogLevel.ERROR);
    expect(logger.getLevel()).toBe(LogLevel.DEBUG);
    logger.debug('three');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('three');
  });

  it('redacts tokens, bearer values and given secrets from strings, objects and errors', () => {
    const { logger, lines } = capture('debug', [SIGNING]);
    logger.info(`token ${BOT}`, { auth: 'Bearer xyz-secret-value', app: APP });
    logger.error(new Error(`failed with ${SIGNING}`));
    const all = lines.join('\n');
    expect(all).not.toContain(BOT);
    expect(all).not.toContain('xyz-secret-value');
    expect(all).not.toContain(APP);
    expect(all).not.toContain(SIGNING);
    expect(all).toContain('[redacted]');
    expect(lines[1]).toContain('Error: failed with [redacted]');
  });

  it('names itself and stamps each line', () => {
    const { logger, lines } = capture('info');
    logger.setName('jobs');
    logger.info('hello');
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z INFO \[jobs\] hello$/);
  });

  describe('distributed mode (install to any workspace)', () => {
    const KEY_HEX = 'a1'.repeat(32);
    const CLIENT_SECRET = 'client-SECRET-0123456789';
    const STATE = 'state-SECRET-0123456789';
    const oauthEnv = {
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_CLIENT_ID: '1111.2222',
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: STATE,
      SLACK_TOKEN_KEY: KEY_HEX,
    };

    it('needs no SLACK_BOT_TOKEN, reads the key as 32 bytes, and defaults the retention to 30 days', () => {
      const config = loadConfig(oauthEnv);
      expect(config.botToken).toBeUndefined();
      expect(config.oauth?.clientId).toBe('1111.2222');
      expect(config.oauth?.tokenKey.equals(Buffer.from(KEY_HEX, 'hex'))).toBe(true);
      expect(config.oauth?.retentionDays).toBe(30);
      expect(config.oauth?.redirectUrl).toBeUndefined();
    });

    it('takes the key as base64 too, and a redirect URL ending in the redirect path', () => {
      const key = Buffer.alloc(32, 7);
      const config = loadConfig({
        ...oauthEnv,
        SLACK_TOKEN_KEY: key.toString('base64'),
        SLACK_REDIRECT_URL: 'https://apollo.example.com/slack/oauth_redirect',
        DATA_RETENTION_DAYS: '7',
      });
      expect(config.oauth?.tokenKey.equals(key)).toBe(true);
      expect(config.oauth?.redirectUrl).toBe('https://apollo.example.com/slack/oauth_redirect');
      expect(config.oauth?.retentionDays).toBe(7);
    });

    it('names every missing OAuth variable once one is set', () => {
      const error = configError({ SLACK_SIGNING_SECRET: SIGNING, SLACK_CLIENT_ID: '1111.2222' });
      for (const name of ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_KEY'])
        expect(error.message).toContain(name);
      expect(error.message).not.toContain('SLACK_BOT_TOKEN');
    });

    it('rejects a key that is not 32 bytes, a bot token beside OAuth, and a wrong redirect path, without printing secrets', () => {
      const error = configError({
        ...oauthEnv,
        SLACK_TOKEN_KEY: 'too-SECRET-short',
        SLACK_BOT_TOKEN: BOT,
        SLACK_REDIRECT_URL: 'https://apollo.example.com/oauth',
      });
      expect(error.message).toContain('SLACK_TOKEN_KEY');
      expect(error.message).toContain('SLACK_BOT_TOKEN');
      expect(error.message).toContain('SLACK_REDIRECT_URL');
      expectNoSecrets(error.message);
      expect(error.message).not.toContain(CLIENT_SECRET);
      expect(configError({ ...oauthEnv, SLACK_TOKEN_KEY: 'ab'.repeat(16) }).message).toContain(
        'SLACK_TOKEN_KEY',
      );
    });

    it('refuses Socket Mode with OAuth (the install redirect needs HTTP)', () => {
      expect(configError({ ...oauthEnv, SLACK_APP_TOKEN: APP }).message).toContain('SLACK_APP_TOKEN');
    });
  });
});
