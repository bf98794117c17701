/** Workspace settings: stored values with who set them, resolved against defaults. */

import { AppError } from '../errors.js';
import { DEFAULT_ROI, type RoiAssumptions } from './campaign-metrics.js';
import { channelKey, channelOf, quoteWord } from './campaigns.js';
import { CAMPAIGNS, type Campaign } from './model.js';
import { DEFAULT_RATE_LIMIT } from './thresholds.js';
import { isValidTimeZone } from './time.js';

/** A stored setting and who set it (its zod schema, for the store, is in settings-schema.ts). */
export interface SettingEntry {
  value: string | number;
  set_by: string;
  set_at: string;
}

export type StoredSettings = Record<string, SettingEntry>;

export interface SettingSource {
  kind: 'default' | 'set' | 'environment';
  set_by?: string;
  set_at?: string;
  /** For a channel's ROI assumption: whether it comes from the channel's own setting or the workspace's. */
  scope?: 'channel' | 'workspace';
}

export type RoiKey = 'cost_per_contact' | 'revenue_per_conversion';
export const ROI_KEYS: readonly RoiKey[] = ['cost_per_contact', 'revenue_per_conversion'];

export interface ChannelRoiSettings extends RoiAssumptions {
  sources: Record<RoiKey, SettingSource>;
}

export interface ResolvedSettings {
  rate_limit: number;
  timezone: string;
  /** Workspace-wide ROI assumptions (the seed's 0.50 and 10000 unless set). */
  cost_per_contact: number;
  revenue_per_conversion: number;
  /** Money per Apollo credit; null when not set. */
  credit_cost: number | null;
  /** ISO 4217 code every money figure is shown in ("EUR"); null when not set (plain amounts). */
  currency: string | null;
  /** The assumptions each channel uses: its own setting, else the workspace's, else the default. */
  roi: Record<Campaign, ChannelRoiSettings>;
  sources: Record<'rate_limit' | 'timezone' | RoiKey | 'credit_cost' | 'currency', SettingSource>;
}

/** Stored keys: workspace-wide ones, and `cost_per_contact.linkedin`-style channel overrides. */
export type SettingKey =
  | 'rate_limit'
  | 'timezone'
  | 'credit_cost'
  | 'currency'
  | RoiKey
  | `${RoiKey}.${'email' | 'linkedin' | 'content'}`;

export function channelSettingKey(key: RoiKey, channel: Campaign): SettingKey {
  return `${key}.${channelKey(channel) as 'email' | 'linkedin' | 'content'}`;
}

export const SETTINGS_USAGE =
  '`settings rate_limit=N` (Apollo requests per minute), `settings timezone=Area/City`, `settings credit_cost=0.02` (money per Apollo credit), `settings currency=EUR` (ISO 4217 code for every money figure; `currency=none` clears it) or `settings roi cost_per_contact=0.8 revenue_per_conversion=12000 [channel=linkedin]` (`settings roi reset [channel=…]` goes back to the defaults)';

export const ROI_USAGE =
  '`settings roi cost_per_contact=0.8 revenue_per_conversion=12000 [channel=email|linkedin|content]` or `settings roi reset [channel=…]`';

function sourceOf(entry: SettingEntry | undefined, fallback: SettingSource['kind']): SettingSource {
  return entry ? { kind: 'set', set_by: entry.set_by, set_at: entry.set_at } : { kind: fallback };
}

function numberOf(entry: SettingEntry | undefined): number | undefined {
  return typeof entry?.value === 'number' ? entry.value : undefined;
}

export function resolveSettings(stored: StoredSettings, defaults: { timeZone: string }): ResolvedSettings {
  const rate = stored.rate_limit;
  const tz = stored.timezone;
  const workspace = (key: RoiKey) => numberOf(stored[key]) ?? DEFAULT_ROI[key];
  const roi = Object.fromEntries(
    CAMPAIGNS.map((channel) => {
      const out = { sources: {} } as ChannelRoiSettings;
      for (const key of ROI_KEYS) {
        const own = stored[channelSettingKey(key, channel)];
        const ownValue = numberOf(own);
        if (own && ownValue !== undefined) {
          out[key] = ownValue;
          out.sources[key] = { ...sourceOf(own, 'default'), scope: 'channel' };
        } else {
          out[key] = workspace(key);
          out.sources[key] = { ...sourceOf(stored[key], 'default'), scope: 'workspace' };
        }
      }
      return [channel, out];
    }),
  ) as Record<Campaign, ChannelRoiSettings>;
  return {
    rate_limit: typeof rate?.value === 'number' ? rate.value : DEFAULT_RATE_LIMIT,
    timezone: typeof tz?.value === 'string' ? tz.value : defaults.timeZone,
    cost_per_contact: workspace('cost_per_contact'),
    revenue_per_conversion: workspace('revenue_per_conversion'),
    credit_cost: numberOf(stored.credit_cost) ?? null,
    currency: currencyOf(stored.currency),
    roi,
    sources: {
      rate_limit: sourceOf(rate, 'default'),
      timezone: sourceOf(tz, 'environment'),
      cost_per_contact: sourceOf(stored.cost_per_contact, 'default'),
      revenue_per_conversion: sourceOf(stored.revenue_per_conversion, 'default'),
      credit_cost: sourceOf(stored.credit_cost, 'default'),
      currency: sourceOf(currencyOf(stored.currency) === null ? undefined : stored.currency, 'default'),
    },
  };
}

/** A stored currency that is still a known code (a record written by hand or an older runtime may not be). */
function currencyOf(entry: SettingEntry | undefined): string | null {
  return typeof entry?.value === 'string' ? parseCurrency(entry.value) : null;
}

let knownCurrencies: ReadonlySet<string> | null = null;

/**
 * An ISO 4217 code as the runtime's Intl knows it (`eur` -> `EUR`); null for anything else. A code
 * Intl cannot format would print as `12.00 XYZ` at best, so only codes it lists are accepted.
 */
export function parseCurrency(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return null;
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code) ? code : null;
}

/** Words that clear the currency setting. */
const CURRENCY_OFF = new Set(['none', 'off']);

/** The ROI assumptions per channel, as the dashboard takes them. */
export function roiAssumptionsOf(settings: ResolvedSettings): Record<Campaign, RoiAssumptions> {
  return Object.fromEntries(
    CAMPAIGNS.map((c) => [
      c,
      {
        cost_per_contact: settings.roi[c].cost_per_contact,
        revenue_per_conversion: settings.roi[c].revenue_per_conversion,
      },
    ]),
  ) as Record<Campaign, RoiAssumptions>;
}

/** An amount such as `0.8`, `12,000` or `12000.50`: finite, 0 or more, at most 1e9; null otherwise. */
export function parseAmount(raw: string): number | null {
  const text = raw.trim();
  if (!/^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$|^\.\d+$/.test(text)) return null;
  const n = Number(text.replaceAll(',', ''));
  return Number.isFinite(n) && n <= 1e9 ? n : null;
}

function parseMoneySetting(word: string, key: string, raw: string, options: { positive: boolean }): number {
  const n = parseAmount(raw);
  if (n === null || (options.positive && n === 0)) {
    throw new AppError(
      'bad_command',
      `${quoteWord(word)}: ${key} must be a number${options.positive ? ' above 0' : ', 0 or more'}, such as ${key === 'revenue_per_conversion' ? '12000' : '0.8'}.`,
    );
  }
  return n;
}

/**
 * Parses the words after `settings roi`: `cost_per_contact=`, `revenue_per_conversion=`, optional
 * `channel=`, or `reset` (removes those assumptions: the channel's own, or the workspace's). A value
 * of null in the change means "remove the stored setting".
 */
export function parseRoiSettingsChange(words: readonly string[]): Partial<Record<SettingKey, number | null>> {
  if (words.length === 0) throw new AppError('bad_command', `Nothing to change. Usage: ${ROI_USAGE}.`);
  let channel: Campaign | null = null;
  let reset = false;
  const values: Partial<Record<RoiKey, number>> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = (eq > 0 ? word.slice(0, eq) : word).toLowerCase();
    const raw = eq > 0 ? word.slice(eq + 1) : '';
    if (key === 'reset' && eq < 0) {
      reset = true;
    } else if (key === 'channel') {
      channel = channelOf(raw);
      if (!channel)
        throw new AppError('bad_command', `${quoteWord(word)}: channel must be email, linkedin or content.`);
    } else if (key === 'cost_per_contact' || key === 'revenue_per_conversion') {
      if (values[key] !== undefined) throw new AppError('bad_command', `\`${key}\` is given twice.`);
      values[key] = parseMoneySetting(word, key, raw, { positive: key === 'cost_per_contact' });
    } else {
      throw new AppError('bad_command', `Unknown ROI setting ${quoteWord(word)}. Usage: ${ROI_USAGE}.`);
    }
  }
  const given = ROI_KEYS.filter((k) => values[k] !== undefined);
  if (reset && given.length > 0) {
    throw new AppError('bad_command', `Either reset or set values, not both. Usage: ${ROI_USAGE}.`);
  }
  if (!reset && given.length === 0) {
    throw new AppError(
      'bad_command',
      `Say what to set: cost_per_contact= and/or revenue_per_conversion=. Usage: ${ROI_USAGE}.`,
    );
  }
  const out: Partial<Record<SettingKey, number | null>> = {};
  for (const key of reset ? ROI_KEYS : given) {
    out[channel ? channelSettingKey(key, channel) : key] = reset ? null : (values[key] ?? null);
  }
  return out;
}

/** Parses `key=value` pairs of the settings command; throws `bad_command` naming the pair. */
export function parseSettingsChange(
  words: readonly string[],
): Partial<Record<SettingKey, string | number | null>> {
  if (words.length === 0) throw new AppError('bad_command', `Nothing to change. Usage: ${SETTINGS_USAGE}.`);
  const out: Partial<Record<SettingKey, string | number | null>> = {};
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
    } else if (key === 'currency') {
      if (CURRENCY_OFF.has(raw.toLowerCase())) {
        out.currency = null;
      } else {
        const code = parseCurrency(raw);
        if (code === null) {
          throw new AppError(
            'bad_command',
            `${quoteWord(word)}: currency must be a three-letter ISO 4217 code such as EUR, USD or GBP, or \`none\` to show plain amounts.`,
          );
        }
        out.currency = code;
      }
    } else if (key === 'credit_cost' || key === 'revenue_per_conversion') {
      out[key] = parseMoneySetting(word, key, raw, { positive: false });
    } else if (key === 'cost_per_contact') {
      out[key] = parseMoneySetting(word, key, raw, { positive: true });
    } else {
      throw new AppError('bad_command', `Unknown setting \`${word}\`. Usage: ${SETTINGS_USAGE}.`);
    }
  }
  return out;
}
