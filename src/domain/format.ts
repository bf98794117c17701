/** Number formatting shared by every surface, so the dashboard, digest, alerts and exports agree. */
import { formatLocalDate, formatLocalDateTime } from './time.js';

// Made on first use: the first Intl object of a process loads locale data (tens of ms), which the
// offline report needs only for a number Intl must write (not finite, or 1e21 and over).
let intFormat: Intl.NumberFormat | undefined;

/** `n` rounded (half away from zero) with thousands commas, exactly as en-US Intl writes it: 1,235; -0. */
export function formatInt(n: number): string {
  const abs = Math.abs(n);
  if (!(abs < 1e21)) {
    intFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    return intFormat.format(n);
  }
  const digits = String(Math.round(abs));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}

/** A fraction 0..1 as a percentage, e.g. 0.1234 -> "12.3%"; null -> "n/a". */
export function formatPercent(fraction: number | null, digits = 1): string {
  return fraction === null ? 'n/a' : `${(fraction * 100).toFixed(digits)}%`;
}

/** Seconds as "1.23s"; null -> "n/a". */
export function formatSeconds(seconds: number | null): string {
  return seconds === null ? 'n/a' : `${seconds.toFixed(2)}s`;
}

/** A score 0..100 with one decimal; null -> "n/a". */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : score.toFixed(1);
}

/** A signed change in percentage points, e.g. +1.5 pp. */
export function formatPointChange(fractionChange: number, digits = 1): string {
  const pp = fractionChange * 100;
  return `${pp >= 0 ? '+' : '−'}${Math.abs(pp).toFixed(digits)} pp`;
}

export function formatSignedSeconds(change: number): string {
  return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(2)}s`;
}

/** part / whole, rounded like every rate in the model; null when there is no whole. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? round(part / whole) : null;
}

/** Rounds away binary noise so sums merged in a different order print the same. */
export function round(n: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A text sparkline scaled between the series' own min and max. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values
    .map((v) =>
      max === min ? SPARKS[3] : SPARKS[Math.round(((v - min) / (max - min)) * (SPARKS.length - 1))],
    )
    .join('');
}

// ---------------------------------------------------------------------------------------------
// One format for every surface: the dashboard, the digest, alerts, the App Home and the exports
// call these and nothing else, so "2,780", "12.3%", "+1.5 pp" and "1.23s" read the same everywhere.

const percentFormats = new Map<number, Intl.NumberFormat>();

function percentFormat(digits: number): Intl.NumberFormat {
  let f = percentFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    percentFormats.set(digits, f);
  }
  return f;
}

/** A percentage that is already in percent (ROI): 2903 -> "2,903%", 12.34 -> "12.3%"; null -> "n/a". */
export function formatPercentValue(percent: number | null): string {
  if (percent === null) return 'n/a';
  const abs = Math.abs(percent);
  const text = abs >= 100 ? formatInt(Math.round(abs)) : abs.toFixed(1);
  return `${percent < 0 ? '−' : ''}${text}%`;
}

/** A change of a value already in percent (ROI), in points: "+1,200 pts". */
export function formatPercentValueChange(change: number): string {
  const abs = Math.abs(change);
  return `${change >= 0 ? '+' : '−'}${abs >= 100 ? formatInt(Math.round(abs)) : abs.toFixed(1)} pts`;
}

/** A signed whole-number change: "+12", "−3". */
export function formatSignedInt(change: number): string {
  return `${change >= 0 ? '+' : '−'}${formatInt(Math.abs(change))}`;
}

/** ISO 4217 code, e.g. "USD"; anything else shows the amount with the code as a suffix. */
export type Currency = string;

/** Money with the workspace's currency: "$1,234.50", "€12.00"; no currency: "1,234.50". */
export function formatMoney(amount: number | null, currency: Currency | null = null): string {
  if (amount === null) return 'n/a';
  if (currency) {
    try {
      return new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(amount);
    } catch {
      return `${percentFormat(2).format(amount)} ${currency}`;
    }
  }
  return percentFormat(2).format(amount);
}

/** A signed change of money: "+€5,000.00", "−12.50". */
export function formatSignedMoney(change: number, currency: Currency | null = null): string {
  return `${change >= 0 ? '+' : '−'}${formatMoney(Math.abs(change), currency)}`;
}

/**
 * A Slack date token, so each reader sees the time in their own zone:
 * `<!date^1700000000^{date_short_pretty} at {time}|fallback>`. The fallback (shown where Slack
 * cannot render the token, e.g. notifications) is the given text.
 */
export function slackDate(iso: string, fallback: string, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^${format}|${fallback.replaceAll('|', '/').replaceAll('>', '')}>`;
}

/**
 * A time as a Slack date token for mrkdwn text (each reader sees it in their own zone), falling
 * back to the workspace's wall-clock time with the zone named: "2026-11-23 10:00 Europe/Berlin".
 * Not for plain_text fields (headers, buttons) or files: Slack renders tokens only in mrkdwn.
 */
export function slackDateTime(iso: string, timeZone: string): string {
  return slackDate(iso, `${formatLocalDateTime(new Date(iso), timeZone)} ${timeZone}`);
}

/** A day as a Slack date token ("Nov 23"), falling back to the workspace's calendar date. */
export function slackDay(iso: string, timeZone: string): string {
  return slackDate(iso, formatLocalDate(new Date(iso), timeZone), '{date_short_pretty}');
}

/** Whether a change is good news: one rule for the dashboard, the digest and the App Home. */
export type Verdict = 'better' | 'worse' | 'stable' | 'none';

/**
 * `change` against the previous period; `higherIsBetter` null means neither way is good
 * (e.g. calls made). Changes no larger than `tolerance` are stable.
 */
export function judgeChange(change: number | null, higherIsBetter: boolean | null, tolerance = 0): Verdict {
  if (change === null) return 'none';
  if (Math.abs(change) <= tolerance) return 'stable';
  if (higherIsBetter === null) return 'stable';
  return change > 0 === higherIsBetter ? 'better' : 'worse';
}

/** The arrow shows the direction, the word whether it is good: "↓ −0.20s better". */
export function formatVerdict(change: number | null, verdict: Verdict, amount: string): string {
  if (verdict === 'none' || change === null) return 'no comparison';
  if (verdict === 'stable' && change === 0) return '→ no change';
  const arrow = change > 0 ? '↑' : change < 0 ? '↓' : '→';
  return `${arrow} ${amount} ${verdict}`;
}
