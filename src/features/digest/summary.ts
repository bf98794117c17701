import type { DashboardModel, GroupAnalysis, Recommendation } from '../../domain/dashboard.js';
import { sparkline } from '../../domain/format.js';
import type { Company } from '../../domain/model.js';
import { type RunMeta, sortRunsNewestFirst } from '../../domain/run-meta.js';
// ---------------------------------------------------------------------------------------------
// Content

export interface Delta {
  name: string;
  current: number | null;
  previous: number | null;
  change: number | null;
  /** How to print it. */
  kind: 'count' | 'rate' | 'seconds' | 'percent' | 'money';
  /** Whether up is good (for the arrow's colour in words), null when neither. */
  higher_is_better: boolean | null;
}

export interface Mover {
  name: string;
  current: number;
  previous: number;
  change: number;
}

export interface DigestModel {
  generated_at: string;
  time_zone: string;
  /** ISO 4217 code for the money figures (`settings currency=`); null: plain amounts. */
  currency: string | null;
  window: { start: string; end: string };
  previous_window: { start: string; end: string };
  /** When posted after its time (catch-up), the time it was meant for. */
  late_for: string | null;
  runs: number;
  quiet: boolean;
  last_run_at: string | null;
  deltas: Delta[];
  new_tier_1: {
    top: Array<{ name: string; icp_score: number | null; industry: string | null; country: string | null }>;
    total: number;
  };
  industry_movers: Mover[];
  geography_movers: Mover[];
  incidents: { opened: number; resolved: number; lines: string[] } | null;
  recommendations: Recommendation[];
  weekly_qualification: { weeks: Array<{ start: string; rate: number | null }>; chart: string };
}

export function delta(
  name: string,
  current: number | null,
  previous: number | null,
  kind: Delta['kind'],
  higherIsBetter: boolean | null,
): Delta {
  return {
    name,
    current,
    previous,
    change: current === null || previous === null ? null : Math.round((current - previous) * 1e6) / 1e6,
    kind,
    higher_is_better: higherIsBetter,
  };
}

export function movers(
  current: readonly GroupAnalysis[],
  previous: readonly GroupAnalysis[],
  limit = 3,
): Mover[] {
  // One map per side: linear in the distinct names (a `find` per name was quadratic: 100,000
  // distinct industries took 50 s).
  const counts = new Map<string, { current: number; previous: number }>();
  for (const g of current) counts.set(g.name, { current: g.count, previous: 0 });
  for (const g of previous) {
    const entry = counts.get(g.name);
    if (entry) entry.previous = g.count;
    else counts.set(g.name, { current: 0, previous: g.count });
  }
  return [...counts]
    .map(([name, c]) => ({ name, current: c.current, previous: c.previous, change: c.current - c.previous }))
    .filter((m) => m.change !== 0)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.name.localeCompare(b.name))
    .slice(0, limit);
}

export const WEEK_MS = 7 * 24 * 3600_000;

/** Qualification rate of each of the last `weeks` weeks ending at `end`, oldest first. */
export function weeklyQualification(
  runs: readonly RunMeta[],
  end: Date,
  weeks = 8,
): DigestModel['weekly_qualification'] {
  const out: Array<{ start: string; rate: number | null }> = [];
  for (let k = weeks - 1; k >= 0; k--) {
    const to = end.getTime() - k * WEEK_MS;
    const from = to - WEEK_MS;
    let companies = 0;
    let qualified = 0;
    for (const r of runs) {
      const t = Date.parse(r.started_at);
      if (t >= from && t < to) {
        companies += r.headline.companies;
        qualified += r.headline.qualified;
      }
    }
    out.push({
      start: new Date(from).toISOString(),
      rate: companies > 0 ? Math.round((qualified / companies) * 1e6) / 1e6 : null,
    });
  }
  return { weeks: out, chart: sparkline(out.flatMap((w) => (w.rate === null ? [] : [w.rate]))) };
}

/** Campaign figures, once campaigns are tracked (anything sent in either week). */
export function campaignDeltas(current: DashboardModel, previous: DashboardModel): Delta[] {
  const c = current.campaign_performance;
  const p = previous.campaign_performance;
  if (c.totals.sent === 0 && p.totals.sent === 0) return [];
  return [
    delta('Response rate', c.response_rate, p.response_rate, 'rate', true),
    delta('Conversion rate', c.conversion_rate, p.conversion_rate, 'rate', true),
    delta('ROI', c.roi, p.roi, 'percent', true),
    // Spending more is neither good nor bad by itself; earning more is.
    delta('Campaign cost', c.totals.cost, p.totals.cost, 'money', null),
    delta('Campaign revenue', c.totals.revenue, p.totals.revenue, 'money', true),
  ];
}

export function computeDigest(input: {
  current: DashboardModel;
  previous: DashboardModel;
  runs: readonly RunMeta[];
  newTier1: Array<{ name: string; icp_score?: number; industry?: string; country?: string }>;
  incidents: DigestModel['incidents'];
  generatedAt: Date;
  lateFor: Date | null;
  timeZone: string;
}): DigestModel {
  const { current, previous } = input;
  const cs = current.executive_summary;
  const ps = previous.executive_summary;
  const ca = current.search_performance;
  const pa = previous.search_performance;
  const sorted = [...input.newTier1].sort(
    (a, b) => (b.icp_score ?? -1) - (a.icp_score ?? -1) || a.name.localeCompare(b.name),
  );
  const lastRun = [...input.runs].sort((a, b) => b.started_at.localeCompare(a.started_at))[0];
  return {
    generated_at: input.generatedAt.toISOString(),
    time_zone: input.timeZone,
    currency: current.currency,
    window: { start: current.period.start ?? '', end: current.period.end ?? '' },
    previous_window: { start: previous.period.start ?? '', end: previous.period.end ?? '' },
    late_for: input.lateFor ? input.lateFor.toISOString() : null,
    runs: current.runs.count,
    quiet: current.runs.count === 0,
    last_run_at: lastRun ? lastRun.started_at : null,
    deltas: [
      delta('Discovered', cs.total_companies_discovered, ps.total_companies_discovered, 'count', true),
      delta('Qualified', cs.total_companies_qualified, ps.total_companies_qualified, 'count', true),
      delta('Qualification rate', cs.qualification_rate, ps.qualification_rate, 'rate', true),
      delta('Tier 1', cs.tier_1_targets, ps.tier_1_targets, 'count', true),
      delta('API success rate', ca.success_rate, pa.success_rate, 'rate', true),
      delta('Avg response time', ca.average_response_time, pa.average_response_time, 'seconds', false),
      delta('Credits used', ca.total_credits_used, pa.total_credits_used, 'count', null),
      ...campaignDeltas(current, previous),
    ],
    new_tier_1: {
      top: sorted.slice(0, 5).map((c) => ({
        name: c.name,
        icp_score: c.icp_score ?? null,
        industry: c.industry ?? null,
        country: c.country ?? null,
      })),
      total: sorted.length,
    },
    industry_movers: movers(
      current.qualification_analytics.industry_analysis,
      previous.qualification_analytics.industry_analysis,
    ),
    geography_movers: movers(
      current.qualification_analytics.geographic_analysis,
      previous.qualification_analytics.geographic_analysis,
    ),
    incidents: input.incidents,
    recommendations: current.recommendations.slice(0, 3),
    weekly_qualification: weeklyQualification(
      input.runs,
      new Date(current.period.end ?? input.generatedAt.toISOString()),
    ),
  };
}

/** How a company is recognised across runs: its domain, else its name. */
export function companyKey(c: Company): string {
  return (c.domain ?? c.name).trim().toLowerCase();
}

/**
 * Tier 1 companies of the week ending at `end`: each once (its best score), and not those already
 * Tier 1 in the week before, since a daily pipeline re-finds the same accounts. `loaded` holds the
 * runs of the two weeks with their companies.
 */
export function newTier1Companies(
  loaded: ReadonlyArray<{ run: RunMeta; companies: readonly Company[] }>,
  end: number,
): Company[] {
  const byId = new Map(loaded.map((l) => [l.run.run_id, l.companies]));
  const tier1In = (from: number, to: number) => {
    const found = new Map<string, Company>();
    const inWindow = loaded
      .map((l) => l.run)
      .filter((r) => {
        const t = Date.parse(r.started_at);
        return t >= from && t < to;
      });
    for (const run of sortRunsNewestFirst(inWindow)) {
      for (const c of byId.get(run.run_id) ?? []) {
        if (c.tier !== 'Tier 1') continue;
        const key = companyKey(c);
        const seen = found.get(key);
        if (!seen || (c.icp_score ?? -1) > (seen.icp_score ?? -1)) found.set(key, c);
      }
    }
    return found;
  };
  const before = tier1In(end - 2 * WEEK_MS, end - WEEK_MS);
  const thisWeek = tier1In(end - WEEK_MS, end);
  return [...thisWeek.entries()].filter(([key]) => !before.has(key)).map(([, c]) => c);
}
