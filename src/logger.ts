/** A console logger for Bolt that scrubs anything shaped like a Slack token or a bearer secret. */
import { type Logger, LogLevel } from '@slack/bolt';

const SECRET_PATTERNS = [/xox[abposr]-[A-Za-z0-9-]+/g, /xapp-[A-Za-z0-9-]+/g, /Bearer\s+[^\s"']+/gi];

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[redacted]');
  for (const p of SECRET_PATTERNS) out = out.replace(p, '[redacted]');
  return out;
}

const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

export function createLogger(options: {
  level: 'debug' | 'info' | 'warn' | 'error';
  secrets?: readonly string[];
  write?: (line: string) => void;
}): Logger {
  let level = options.level as LogLevel;
  let name = 'apollo-dashboard';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (at: LogLevel, msg: unknown[]) => {
    if (ORDER[at] < ORDER[level]) return;
    const text = msg
      .map((m) =>
        m instanceof Error ? `${m.name}: ${m.message}` : typeof m === 'string' ? m : JSON.stringify(m),
      )
      .join(' ');
    write(`${new Date().toISOString()} ${at.toUpperCase()} [${name}] ${redact(text, options.secrets)}`);
  };
  return {
    debug: (...m) => emit(LogLevel.DEBUG, m),
    info: (...m) => emit(LogLevel.INFO, m),
    warn: (...m) => emit(LogLevel.WARN, m),
    error: (...m) => emit(LogLevel.ERROR, m),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}
