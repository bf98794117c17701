/** Workspace settings: stored values with who set them, resolved against defaults. */
import { z } from 'zod';
import { AppError } from '../errors.js';
import { DEFAULT_RATE_LIMIT } from './dashboard.js';
import { isValidTimeZone } from './time.js';

export const settingEntrySchema = z.object({
  value: z.union([z.string(), z.number()]),
  set_by: z.string(),
  set_at: z.string(),
});
export type SettingEntry = z.infer<typeof settingEntrySchema>;

export const storedSettingsSchema = z.record(z.string(), settingEntrySchema);
export type StoredSettings = z.infer<typeof storedSettingsSchema>;

export interface SettingSource {
  kind: 'default' | 'set' | 'environment';
  set_by?: string;
  set_at?: string;
}

export interface ResolvedSettings {
  rate_limit: number;
  timezone: string;
  sources: Record<'rate_limit' | 'timezone', SettingSource>;
}

export const SETTING_KEYS = ['rate_limit', 'timezone'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export const SETTINGS_USAGE =
  '`settings rate_limit=N` (Apollo requests per minute) or `settings timezone=Area/City`';

function sourceOf(entry: SettingEntry | undefined, fallback: SettingSource['kind']): SettingSource {
  return entry ? { kind: 'set', set_by: entry.set_by, set_at: entry.set_at } : { kind: fallback };
}

export function resolveSettings(stored: StoredSettings, defaults: { timeZone: string }): ResolvedSettings {
  const rate = stored.rate_limit;
  const tz = stored.timezone;
  return {
    rate_limit: typeof rate?.value === 'number' ? rate.value : DEFAULT_RATE_LIMIT,
    timezone: typeof tz?.value === 'string' ? tz.value : defaults.timeZone,
    sources: {
      rate_limit: sourceOf(rate, 'default'),
      timezone: sourceOf(tz, 'environment'),
    },
  };
}

/** Parses `key=value` pairs of the settings command; throws `bad_command` naming the pair. */
export function parseSettingsChange(words: readonly string[]): Partial<Record<SettingKey, string | number>> {
  if (words.length === 0) throw new AppError('bad_command', `Nothing to change. Usage: ${SETTINGS_USAGE}.`);
  const out: Partial<Record<SettingKey, string | number>> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = (eq > 0 ? word.slice(0, eq) : word).toLowerCase();
    const raw = eq > 0 ? word.slice(eq + 1).trim() : '';
    if (key === 'rate_limit') {
      const n = Number(raw.replaceAll(',', ''));
      if (raw === '' || !Number.isInteger(n) || n < 1 || n > 100_000) {
        throw new AppError(
          'bad_command',
          `\`${word}\`: rate_limit must be a whole number of requests per minute, 1 or more.`,
        );
      }
      out.rate_limit = n;
    } else if (key === 'timezone') {
      if (raw === '' || !isValidTimeZone(raw)) {
        throw new AppError(
          'bad_command',
          `\`${word}\`: timezone must be an IANA name such as Europe/Berlin.`,
        );
      }
      out.timezone = raw;
    } else {
      throw new AppError('bad_command', `Unknown setting \`${word}\`. Usage: ${SETTINGS_USAGE}.`);
    }
  }
  return out;
}
