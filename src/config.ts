/** The one module that reads the environment. Validated with zod; secrets never appear in errors. */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { isValidTimeZone } from './domain/time.js';
import { AppError } from './errors.js';
import { OAUTH_REDIRECT_PATH } from './ids.js';

/** SLACK_TOKEN_KEY as 32 bytes (64 hex digits, or base64/base64url of 32 bytes), else null. */
export function tokenKeyBytes(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) return null;
  const bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : null;
}

export const README_SETUP = 'README.md, section "Create the Slack app from manifest.yml"';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().startsWith('xoxb-', { error: 'must be a bot token starting with xoxb-' }).optional(),
    ),
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: z.preprocess(
      blankToUndefined,
      z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
    ),
    SLACK_TOKEN_KEY: z.preprocess(
      blankToUndefined,
      z
        .string()
        .refine((v) => tokenKeyBytes(v) !== null, {
          error: 'must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)',
        })
        .optional(),
    ),
    SLACK_REDIRECT_URL: z.preprocess(
      blankToUndefined,
      z
        .url({ error: 'must be a URL' })
        .refine((v) => new URL(v).pathname === OAUTH_REDIRECT_PATH, {
          error: `must end with ${OAUTH_REDIRECT_PATH}`,
        })
        .optional(),
    ),
    DATA_RETENTION_DAYS: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'must be a number of days' }).int().min(0).max(3650).default(30),
    ),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().startsWith('xapp-', { error: 'must be an app-level token starting with xapp-' }).optional(),
    ),
    PORT: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
    ),
    HOST: z.preprocess(blankToUndefined, z.string().default('0.0.0.0')),
    SLACK_API_URL: z.preprocess(blankToUndefined, z.url({ error: 'must be a URL' }).optional()),
    STORE_URL: z.preprocess(
      blankToUndefined,
      z
        .string()
        .refine((url) => /^(sqlite|postgres|postgresql):\/\//.test(url), {
          error: 'must be a sqlite:// or postgres:// URL',
        })
        .default('sqlite://data/apollo-dashboard.sqlite'),
    ),
    INGEST_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
    ),
    ADMIN_USER_IDS: optionalString,
    DEFAULT_TIMEZONE: z.preprocess(
      blankToUndefined,
      z
        .string()
        .default('UTC')
        .refine(isValidTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' }),
    ),
    LOG_LEVEL: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
      z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    ),
    LOG_FORMAT: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
      z.enum(['text', 'json'], { error: 'must be text or json' }).default('text'),
    ),
    MAX_UPLOAD_MB: z.preprocess(blankToUndefined, z.coerce.number().positive().max(1024).default(20)),
    MAX_COMPANIES: z.preprocess(blankToUndefined, z.coerce.number().int().positive().default(100_000)),
  })
  .superRefine(
    (env, ctx) => {
      const oauth = [
        'SLACK_CLIENT_ID',
        'SLACK_CLIENT_SECRET',
        'SLACK_STATE_SECRET',
        'SLACK_TOKEN_KEY',
      ] as const;
      const given = oauth.filter((name) => env[name] !== undefined);
      if (given.length > 0) {
        // Distributed mode: every OAuth variable, over HTTP (Slack's redirect needs a public URL).
        for (const name of oauth) {
          if (env[name] === undefined)
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'is required to install to any workspace',
            });
        }
        if (env.SLACK_BOT_TOKEN !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['SLACK_BOT_TOKEN'],
            message: 'must be empty when SLACK_CLIENT_ID is set (tokens come from each installation)',
          });
        if (env.SLACK_APP_TOKEN !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['SLACK_APP_TOKEN'],
            message: 'must be empty when SLACK_CLIENT_ID is set (installing to any workspace needs HTTP)',
          });
      } else if (env.SLACK_BOT_TOKEN === undefined) {
        ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required' });
      }
      if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_SIGNING_SECRET'],
          message: 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
        });
      }
    },
    // Also when another variable is bad, so one run names every missing variable.
    { when: () => true },
  );

/** Distributed mode: installed to any workspace with OAuth; tokens come from each installation. */
export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** 32 bytes: AES-256-GCM key for the tokens at rest. */
  tokenKey: Buffer;
  redirectUrl: string | undefined;
  /** How long an uninstalled workspace's data is kept before it is deleted. */
  retentionDays: number;
}

export interface Config {
  /** Single-workspace mode: the one bot token. Undefined in distributed mode. */
  botToken: string | undefined;
  /** Set in distributed mode (SLACK_CLIENT_ID …); undefined in single-workspace mode. */
  oauth?: OAuthConfig | undefined;
  signingSecret: string | undefined;
  appToken: string | undefined;
  port: number;
  host: string;
  slackApiUrl: string | undefined;
  storeUrl: string;
  ingestToken: string | undefined;
  adminUserIds: string[];
  defaultTimeZone: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'text' | 'json';
  limits: { maxBytes: number; maxCompanies: number };
}

/** Parses the environment; throws `config_invalid` naming every bad or missing variable (never its value). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const missing: string[] = [];
    const bad: string[] = [];
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      if (env[name] === undefined || env[name]?.trim() === '') missing.push(name);
      else bad.push(`${name} ${issue.message}`);
    }
    const lines = [];
    if (missing.length) lines.push(`Missing environment variables: ${[...new Set(missing)].join(', ')}.`);
    if (bad.length) lines.push(`Invalid environment variables: ${bad.join('; ')}.`);
    lines.push(`See ${README_SETUP} and .env.example.`);
    throw new AppError('config_invalid', lines.join('\n'));
  }
  const e = parsed.data;
  return {
    botToken: e.SLACK_BOT_TOKEN,
    oauth:
      e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET && e.SLACK_TOKEN_KEY
        ? {
            clientId: e.SLACK_CLIENT_ID,
            clientSecret: e.SLACK_CLIENT_SECRET,
            stateSecret: e.SLACK_STATE_SECRET,
            tokenKey: tokenKeyBytes(e.SLACK_TOKEN_KEY) as Buffer,
            redirectUrl: e.SLACK_REDIRECT_URL,
            retentionDays: e.DATA_RETENTION_DAYS,
          }
        : undefined,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    port: e.PORT,
    host: e.HOST,
    slackApiUrl: e.SLACK_API_URL,
    storeUrl: e.STORE_URL,
    ingestToken: e.INGEST_TOKEN,
    adminUserIds: (e.ADMIN_USER_IDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    defaultTimeZone: e.DEFAULT_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    limits: { maxBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024), maxCompanies: e.MAX_COMPANIES },
  };
}

/**
 * Reads a `.env` file into the environment when one exists: variables already set (even to an empty
 * value) win over the file. Returns the names it set; never their values.
 */
export function loadDotEnv(
  path = '.env',
  env: Record<string, string | undefined> = process.env,
): { path: string; applied: string[] } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('config_invalid', `Cannot read ${path}: ${(error as Error).message}`);
  }
  const applied: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined || env[name] !== undefined) continue;
    env[name] = value;
    applied.push(name);
  }
  return { path, applied };
}
