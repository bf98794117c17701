/**
 * The thresholds a workspace's alert rules set, read for the dashboard: the dashboard, the report
 * and the alerts judge with the same rules. Pure: the alert state document goes in as read from the
 * store (any shape), the effective thresholds come out. The alerts feature owns the document and
 * validates all of it; this reads only the thresholds and falls back to the default for anything
 * it cannot use, so a dashboard never fails over the alert state.
 */
import { THRESHOLDS, type Thresholds } from './thresholds.js';

/** The store document holding the alert state (the alerts feature's). */
export const ALERTS_DOCUMENT = 'alerts';

/** Which dashboard threshold each alert rule sets. */
export const RULE_THRESHOLD_KEYS = {
  success_rate: 'success_rate',
  response_time: 'average_response_time',
  error_rate: 'error_rate',
  qualification_rate: 'qualification_good',
  rate_limited: 'rate_limited_share',
  peak_usage: 'rate_limit_usage',
} as const satisfies Record<string, keyof Thresholds>;

/** A rule's stored threshold, as far as its reading is concerned. */
export interface StoredRuleThreshold {
  threshold?: number | undefined;
  unit?: 'share' | undefined;
}

/**
 * Whether the 429 rule's stored threshold is a count of rate-limited calls, set before 429s were
 * judged as a share of a run's calls (no unit, a whole number of 1 or more; a share is at most 1 and
 * written with its unit since). Such a threshold stays applied as a count, as it was set, until
 * someone sets a share: a custom threshold never silently falls back to the default.
 */
export function isCountThreshold(rs: StoredRuleThreshold | undefined): boolean {
  if (rs === undefined || rs.unit === 'share' || rs.threshold === undefined) return false;
  return Number.isInteger(rs.threshold) && rs.threshold >= 1;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function storedRule(v: unknown): StoredRuleThreshold | undefined {
  if (!isRecord(v)) return undefined;
  const threshold = typeof v.threshold === 'number' && Number.isFinite(v.threshold) ? v.threshold : undefined;
  return { threshold, unit: v.unit === 'share' ? 'share' : undefined };
}

const numberIn = (v: unknown, key: string): number | undefined =>
  isRecord(v) && typeof v[key] === 'number' && Number.isFinite(v[key]) ? v[key] : undefined;

/**
 * The thresholds the workspace's alert rules judge with: each rule's stored threshold, else the
 * seed's. A 429 threshold kept as a count of calls per run (isCountThreshold) is no share of a
 * period's calls, so the dashboard keeps the default share for it. A percentage above 100 % is read
 * as unset, as the alerts read it; the 429 rule's recovery is carried along (the dashboard shows it
 * in the exported model only). The qualification rule sets the "Good" bound; "Excellent" stays
 * above it.
 */
export function thresholdsOfAlertState(doc: unknown): Thresholds {
  const out: Thresholds = { ...THRESHOLDS };
  const rules = isRecord(doc) && isRecord(doc.rules) ? doc.rules : {};
  for (const [rule, key] of Object.entries(RULE_THRESHOLD_KEYS)) {
    const rs = storedRule(rules[rule]);
    const value = rs?.threshold;
    if (value === undefined) continue;
    if (rule === 'rate_limited' && isCountThreshold(rs)) continue;
    if (rule !== 'response_time' && value > 1) continue;
    out[key] = value;
    if (rule === 'rate_limited') {
      const recovery = numberIn(rules[rule], 'recovery');
      if (recovery !== undefined && recovery <= 1) out.rate_limited_recovery = recovery;
    }
  }
  out.qualification_excellent = Math.max(THRESHOLDS.qualification_excellent, out.qualification_good);
  return out;
}
