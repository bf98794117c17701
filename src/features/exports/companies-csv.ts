/**
 * The companies export: one row per company in the period, best ICP score first (unscored last),
 * optionally only one tier or every qualified company. The full list, never cut.
 */
import type { Company, Tier } from '../../domain/model.js';
import { csvLine } from './csv.js';

export const TIER_FILTERS = ['1', '2', '3', 'qualified'] as const;
export type TierFilter = (typeof TIER_FILTERS)[number];

export const COMPANIES_CSV_HEADER = [
  'run_id',
  'name',
  'domain',
  'industry',
  'employees',
  'country',
  'icp_score',
  'tier',
  'campaign',
] as const;

export interface CompanyRow {
  run_id: string;
  company: Company;
}

const FILTER_TIERS: Record<TierFilter, readonly Tier[]> = {
  '1': ['Tier 1'],
  '2': ['Tier 2'],
  '3': ['Tier 3'],
  qualified: ['Tier 1', 'Tier 2', 'Tier 3'],
};

export function describeTierFilter(filter: TierFilter): string {
  return filter === 'qualified' ? 'qualified (Tier 1-3)' : `Tier ${filter}`;
}

export function matchesTier(company: Company, filter: TierFilter | null): boolean {
  return filter === null || FILTER_TIERS[filter].includes(company.tier);
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Highest score first, unscored last; ties by name, run and domain, so the order is stable. */
export function compareCompanyRows(a: CompanyRow, b: CompanyRow): number {
  const sa = a.company.icp_score;
  const sb = b.company.icp_score;
  if (sa !== sb) {
    if (sa === undefined) return 1;
    if (sb === undefined) return -1;
    return sb - sa;
  }
  return (
    compareText(a.company.name, b.company.name) ||
    compareText(a.run_id, b.run_id) ||
    compareText(a.company.domain ?? '', b.company.domain ?? '')
  );
}

/** The rows to export: filtered by tier and sorted. */
export function selectCompanyRows(rows: readonly CompanyRow[], filter: TierFilter | null): CompanyRow[] {
  return rows.filter((r) => matchesTier(r.company, filter)).sort(compareCompanyRows);
}

/** Rows as given (already selected): header, then one CSV record each. */
export function renderCompaniesCsv(rows: readonly CompanyRow[]): string {
  const out = [csvLine(COMPANIES_CSV_HEADER)];
  for (const { run_id, company: c } of rows) {
    out.push(
      csvLine([
        run_id,
        c.name,
        c.domain,
        c.industry,
        c.employees,
        c.country,
        c.icp_score,
        c.tier,
        c.campaign,
      ]),
    );
  }
  return out.join('');
}
