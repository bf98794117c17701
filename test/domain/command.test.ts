import { describe, expect, it } from 'vitest';
import { parseCommand, splitWords } from '../../src/domain/command.js';
import { DEFAULT_RATE_LIMIT } from '../../src/domain/dashboard.js';
import { PERIOD_USAGE } from '../../src/domain/period.js';
import {
  parseCurrency,
  parseSettingsChange,
  resolveSettings,
  SETTINGS_USAGE,
} from '../../src/domain/settings.js';
import { storedSettingsSchema } from '../../src/domain/settings-schema.js';
import { AppError } from '../../src/errors.js';

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

const badCommand = (text: string): string => {
  const error = failure(() => parseCommand(text));
  expect(error.code).toBe('bad_command');
  return error.message;
};

describe('splitWords', () => {
  it('splits on any run of whitespace and drops the ends', () => {
    expect(splitWords('  runs \t delete\n run-1  ')).toEqual(['runs', 'delete', 'run-1']);
    expect(splitWords('')).toEqual([]);
    expect(splitWords('   ')).toEqual([]);
  });
});

describe('parseCommand: the dashboard', () => {
  it('shows the last 7 days with no words', () => {
    expect(parseCommand('')).toEqual({ kind: 'dashboard', period: { kind: 'rolling', days: 7 } });
    expect(parseCommand('   ')).toEqual({ kind: 'dashboard', period: { kind: 'rolling', days: 7 } });
  });

  it('takes a single period word in any case', () => {
    expect(parseCommand('7d')).toEqual({ kind: 'dashboard', period: { kind: 'rolling', days: 7 } });
    expect(parseCommand('30D')).toEqual({ kind: 'dashboard', period: { kind: 'rolling', days: 30 } });
    expect(parseCommand(' 90d ')).toEqual({ kind: 'dashboard', period: { kind: 'rolling', days: 90 } });
    expect(parseCommand('All')).toEqual({ kind: 'dashboard', period: { kind: 'all' } });
    expect(parseCommand('last')).toEqual({ kind: 'dashboard', period: { kind: 'last' } });
    expect(parseCommand('2026-11-01..2026-11-07')).toEqual({
      kind: 'dashboard',
      period: { kind: 'range', from: '2026-11-01', to: '2026-11-07' },
    });
  });

  it('refuses an unknown single word as a period', () => {
    expect(badCommand('8d')).toBe(`\`8d\` is not a period. Periods: ${PERIOD_USAGE}.`);
    expect(badCommand('2026-02-30..2026-03-01')).toContain('is not a real date range');
    expect(badCommand('2026-03-02..2026-03-01')).toBe(
      'The range `2026-03-02..2026-03-01` ends before it starts.',
    );
  });

  it('refuses several words it does not know', () => {
    expect(badCommand('show me 7d')).toBe("I don't know `show me 7d`.");
    expect(badCommand('7d  30d')).toBe("I don't know `7d 30d`.");
  });
});

describe('parseCommand: subcommands', () => {
  it('reads help and upload in any case', () => {
    expect(parseCommand('help')).toEqual({ kind: 'help' });
    expect(parseCommand('HELP')).toEqual({ kind: 'help' });
    expect(parseCommand('upload')).toEqual({ kind: 'upload' });
    expect(parseCommand('Upload')).toEqual({ kind: 'upload' });
  });

  it('posts the default or a given period', () => {
    expect(parseCommand('post')).toEqual({ kind: 'post', period: { kind: 'rolling', days: 7 } });
    expect(parseCommand('POST 30d')).toEqual({ kind: 'post', period: { kind: 'rolling', days: 30 } });
    expect(parseCommand('post last')).toEqual({ kind: 'post', period: { kind: 'last' } });
    expect(parseCommand('post 2026-11-01..2026-11-07')).toEqual({
      kind: 'post',
      period: { kind: 'range', from: '2026-11-01', to: '2026-11-07' },
    });
  });

  it('refuses post with a bad period or too many words', () => {
    expect(badCommand('post 8d')).toBe(`\`8d\` is not a period. Periods: ${PERIOD_USAGE}.`);
    expect(badCommand('post 7d here')).toBe('Usage: `post [period]`.');
  });

  it('lists and deletes runs, keeping the run id as typed', () => {
    expect(parseCommand('runs')).toEqual({ kind: 'runs' });
    expect(parseCommand('runs delete Run-2026.11:A')).toEqual({
      kind: 'runs-delete',
      runId: 'Run-2026.11:A',
    });
    expect(parseCommand('RUNS Delete run-1')).toEqual({ kind: 'runs-delete', runId: 'run-1' });
  });

  it('refuses other runs forms with the usage', () => {
    const usage = 'Usage: `runs` or `runs delete <run_id>`.';
    expect(badCommand('runs delete')).toBe(usage);
    expect(badCommand('runs delete a b')).toBe(usage);
    expect(badCommand('runs remove run-1')).toBe(usage);
    expect(badCommand('runs run-1')).toBe(usage);
  });

  it('shows settings, or parses a change', () => {
    expect(parseCommand('settings')).toEqual({ kind: 'settings' });
    expect(parseCommand('settings rate_limit=200')).toEqual({
      kind: 'settings-set',
      change: { rate_limit: 200 },
    });
    expect(parseCommand('Settings RATE_LIMIT=1,000 timezone=Europe/Berlin')).toEqual({
      kind: 'settings-set',
      change: { rate_limit: 1000, timezone: 'Europe/Berlin' },
    });
    expect(badCommand('settings colour=blue')).toBe(
      `Unknown setting \`colour=blue\`. Usage: ${SETTINGS_USAGE}.`,
    );
  });

  it('parses settings reset, alone only', () => {
    expect(parseCommand('settings reset')).toEqual({ kind: 'settings-reset' });
    expect(parseCommand('Settings RESET')).toEqual({ kind: 'settings-reset' });
    expect(badCommand('settings reset now')).toBe(
      'Usage: `settings reset` (removes a damaged settings record).',
    );
  });
});

describe('parseSettingsChange', () => {
  const problem = (...words: string[]) => {
    const error = failure(() => parseSettingsChange(words));
    expect(error.code).toBe('bad_command');
    return error.message;
  };

  it('reads rate_limit as a whole number from 1 to 100,000', () => {
    expect(parseSettingsChange(['rate_limit=1'])).toEqual({ rate_limit: 1 });
    expect(parseSettingsChange(['rate_limit=100000'])).toEqual({ rate_limit: 100_000 });
    expect(parseSettingsChange(['rate_limit= 60'])).toEqual({ rate_limit: 60 });
    for (const raw of ['0', '-5', '1.5', 'abc', '', '100001', '1e3x']) {
      expect(problem(`rate_limit=${raw}`)).toBe(
        `\`rate_limit=${raw}\`: rate_limit must be a whole number of requests per minute, 1 or more.`,
      );
    }
    expect(problem('rate_limit')).toBe(
      '`rate_limit`: rate_limit must be a whole number of requests per minute, 1 or more.',
    );
  });

  it('reads timezone as an IANA name', () => {
    expect(parseSettingsChange(['timezone=America/New_York'])).toEqual({ timezone: 'America/New_York' });
    expect(parseSettingsChange(['timezone=UTC'])).toEqual({ timezone: 'UTC' });
    expect(problem('timezone=Mars/Base')).toBe(
      '`timezone=Mars/Base`: timezone must be an IANA name such as Europe/Berlin.',
    );
    expect(problem('timezone=')).toBe('`timezone=`: timezone must be an IANA name such as Europe/Berlin.');
  });

  it('reads currency as an ISO 4217 code the runtime knows, and none/off as clearing it', () => {
    expect(parseSettingsChange(['currency=EUR'])).toEqual({ currency: 'EUR' });
    expect(parseSettingsChange(['currency=gbp'])).toEqual({ currency: 'GBP' });
    expect(parseSettingsChange(['CURRENCY=jpy'])).toEqual({ currency: 'JPY' });
    expect(parseSettingsChange(['currency=none'])).toEqual({ currency: null });
    expect(parseSettingsChange(['currency=OFF'])).toEqual({ currency: null });
    expect(parseCommand('settings currency=none')).toEqual({
      kind: 'settings-set',
      change: { currency: null },
    });
    for (const raw of ['', 'EURO', 'E', '€', '12A', 'QQQ']) {
      expect(problem(`currency=${raw}`)).toBe(
        `\`currency=${raw}\`: currency must be a three-letter ISO 4217 code such as EUR, USD or GBP, or \`none\` to show plain amounts.`,
      );
    }
    expect(parseCurrency(' usd ')).toBe('USD');
    expect(parseCurrency('QQQ')).toBeNull();
  });

  it('lets a later pair of the same key win', () => {
    expect(parseSettingsChange(['rate_limit=5', 'rate_limit=6'])).toEqual({ rate_limit: 6 });
  });

  it('refuses nothing, unknown keys and a pair without a key', () => {
    expect(problem()).toBe(`Nothing to change. Usage: ${SETTINGS_USAGE}.`);
    expect(problem('colour=blue')).toBe(`Unknown setting \`colour=blue\`. Usage: ${SETTINGS_USAGE}.`);
    expect(problem('=5')).toBe(`Unknown setting \`=5\`. Usage: ${SETTINGS_USAGE}.`);
    // The first bad pair is named even after a good one.
    expect(problem('rate_limit=5', 'timezone=Nowhere')).toContain('`timezone=Nowhere`');
  });
});

describe('resolveSettings', () => {
  it('has no currency in a record stored before the setting existed, and reads a stored one', () => {
    const old = { rate_limit: { value: 250, set_by: 'U1', set_at: '2026-11-20T10:00:00.000Z' } };
    expect(resolveSettings(storedSettingsSchema.parse(old), { timeZone: 'UTC' })).toMatchObject({
      currency: null,
      sources: { currency: { kind: 'default' } },
    });
    const eur = { ...old, currency: { value: 'EUR', set_by: 'U2', set_at: '2026-11-21T10:00:00.000Z' } };
    expect(resolveSettings(storedSettingsSchema.parse(eur), { timeZone: 'UTC' })).toMatchObject({
      currency: 'EUR',
      sources: { currency: { kind: 'set', set_by: 'U2' } },
    });
    // A stored value no runtime can format (written by hand) reads as unset, not as a broken figure.
    const bad = { currency: { value: 'Euro', set_by: 'U2', set_at: '2026-11-21T10:00:00.000Z' } };
    expect(resolveSettings(bad, { timeZone: 'UTC' })).toMatchObject({
      currency: null,
      sources: { currency: { kind: 'default' } },
    });
  });

  it('falls back to the default rate limit and the environment time zone', () => {
    // toMatchObject: other settings (ROI assumptions…) live beside these two.
    expect(resolveSettings({}, { timeZone: 'Europe/Berlin' })).toMatchObject({
      rate_limit: DEFAULT_RATE_LIMIT,
      timezone: 'Europe/Berlin',
      sources: { rate_limit: { kind: 'default' }, timezone: { kind: 'environment' } },
    });
    expect(DEFAULT_RATE_LIMIT).toBe(100);
  });

  it('uses stored values and says who set them', () => {
    const stored = {
      rate_limit: { value: 250, set_by: 'U1', set_at: '2026-11-20T10:00:00.000Z' },
      timezone: { value: 'America/New_York', set_by: 'U2', set_at: '2026-11-21T10:00:00.000Z' },
    };
    expect(resolveSettings(stored, { timeZone: 'UTC' })).toMatchObject({
      rate_limit: 250,
      timezone: 'America/New_York',
      sources: {
        rate_limit: { kind: 'set', set_by: 'U1', set_at: '2026-11-20T10:00:00.000Z' },
        timezone: { kind: 'set', set_by: 'U2', set_at: '2026-11-21T10:00:00.000Z' },
      },
    });
  });

  it('ignores a stored value of the wrong type', () => {
    const stored = {
      rate_limit: { value: '250', set_by: 'U1', set_at: '2026-11-20T10:00:00.000Z' },
      timezone: { value: 5, set_by: 'U2', set_at: '2026-11-21T10:00:00.000Z' },
    };
    const resolved = resolveSettings(stored, { timeZone: 'UTC' });
    expect(resolved.rate_limit).toBe(100);
    expect(resolved.timezone).toBe('UTC');
  });
});
