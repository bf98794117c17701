/** The one module that reads the environment. Validated with zod; secrets never appear in errors. */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { isValidTimeZone } from './domain/time.js';
import { AppError } from './errors.js';

export const README_SETUP = 'README.md, section "Create the Slack app from manifest.yml"';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string({ error: 'is required' })
        .startsWith('xoxb-', { error: 'must be a bot token starting with xoxb-' }),
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

export interface Config {
  botToken: string;
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
