/**
 * The one logger: text lines (the default) or one JSON object per line (`LOG_FORMAT=json`), both
 * scrubbed of anything shaped like a Slack token, a bearer secret, a response URL or a secret it is
 * given. Bolt, its receivers and its Web API clients all write through it.
 */
import { type Logger, LogLevel } from '@slack/bolt';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/xox[abposre]-[A-Za-z0-9-]+/g, '[redacted]'],
  [/xapp-[A-Za-z0-9-]+/g, '[redacted]'],
  [/Bearer\s+[^\s"'\\]+/gi, '[redacted]'],
  // Response URLs and incoming webhooks let anyone holding them post to the workspace.
  [/https:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'\\]+/g, '[redacted]'],
  // The legacy verification token inside request payloads Bolt logs at debug level.
  [/("token"\s*:\s*")[^"\\]*(")/g, '$1[redacted]$2'],
];

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[redacted]');
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/** Keys every JSON line carries; a field of the same name is written as `field_<name>` instead. */
const RESERVED = new Set(['time', 'level', 'logger', 'message']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Bolt's `App` sets its own default level (INFO) on the logger it is given, and so would any client
 * built with a `logLevel`. The operator's `LOG_LEVEL` is the only level: `setLevel` is ignored.
 *
 * Arguments are joined into the message; in JSON format a plain object argument gives fields
 * instead (`logger.info('Stored run.', { team, run_id, request_id, duration_ms })`). In text format
 * such an object is appended as JSON, as before.
 */
export function createLogger(options: {
  level: LogLevelName;
  format?: LogFormat;
  secrets?: readonly string[];
  write?: (line: string) => void;
  now?: () => Date;
}): Logger {
  const level = options.level as LogLevel;
  const secrets = options.secrets ?? [];
  const format = options.format ?? 'text';
  const now = options.now ?? (() => new Date());
  let name = 'apollo-dashboard';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));

  const text = (at: LogLevel, args: unknown[]) =>
    `${now().toISOString()} ${at.toUpperCase()} [${name}] ${redact(args.map(describe).join(' '), secrets)}`;

  const json = (at: LogLevel, args: unknown[]) => {
    const parts: string[] = [];
    const fields: Record<string, unknown> = {};
    for (const arg of args) {
      if (!isPlainObject(arg)) {
        parts.push(describe(arg));
        continue;
      }
      for (const [key, value] of Object.entries(arg)) {
        fields[RESERVED.has(key) ? `field_${key}` : key] = value instanceof Error ? describe(value) : value;
      }
    }
    const base = { time: now().toISOString(), level: at, logger: name, message: parts.join(' ') };
    const scrub = (_key: string, value: unknown) =>
      typeof value === 'string' ? redact(value, secrets) : typeof value === 'bigint' ? String(value) : value;
    let line: string;
    try {
      line = JSON.stringify({ ...base, ...fields }, scrub);
    } catch {
      // A circular or otherwise unserializable field: keep the line, name the problem.
      line = JSON.stringify({ ...base, fields: '[unserializable]' }, scrub);
    }
    // Keys are not passed to the replacer's value branch; scrub the whole line once more.
    return redact(line, secrets);
  };

  const emit = (at: LogLevel, args: unknown[]) => {
    if (ORDER[at] < ORDER[level]) return;
    write(format === 'json' ? json(at, args) : text(at, args));
  };
  return {
    debug: (...m) => emit(LogLevel.DEBUG, m),
    info: (...m) => emit(LogLevel.INFO, m),
    warn: (...m) => emit(LogLevel.WARN, m),
    error: (...m) => emit(LogLevel.ERROR, m),
    setLevel: () => undefined,
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}
