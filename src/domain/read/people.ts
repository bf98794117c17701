/**
 * A People (Contacts) export has one row per contact, so a company repeats. Its rows are merged into
 * one company each, keyed by `Apollo Account Id`, then by domain, then by normalised name: a row joins
 * the company that shares its account id, else its domain, else its name (a company already tied to
 * another account id is never joined by domain or name).
 *
 * The company's fields come from its first row that has each one. When its rows disagree on the
 * score or the tier, one rule decides: the row with the highest ICP score speaks for the company (score
 * and tier together); without scores, the best tier. Each disagreement is listed in a warning.
 */
import type { Company, Tier } from '../model.js';
import { TIERS } from '../model.js';
import type { ReadWarning } from './warnings.js';

export interface ContactRow {
  company: Company;
  /** The spreadsheet row. */
  row: number;
  accountId?: string;
}

/** "Acme, Inc." -> "acme inc"; accents and punctuation dropped, for matching only. */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

interface Group {
  accountId: string | undefined;
  rows: ContactRow[];
}

const FIELDS = ['domain', 'industry', 'employees', 'country', 'state', 'city', 'campaign'] as const;

function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

function mergeGroup(group: Group): { company: Company; disagreement?: string } {
  const [first, ...rest] = group.rows as [ContactRow, ...ContactRow[]];
  const company: Company = { ...first.company };
  for (const { company: other } of rest) {
    for (const field of FIELDS) {
      if (company[field] === undefined && other[field] !== undefined) {
        (company as unknown as Record<string, unknown>)[field] = other[field];
      }
    }
  }
  let speaker = first;
  for (const row of rest) {
    const a = speaker.company;
    const b = row.company;
    if (b.icp_score !== undefined && (a.icp_score === undefined || b.icp_score > a.icp_score)) speaker = row;
    else if (a.icp_score === undefined && b.icp_score === undefined && tierRank(b.tier) < tierRank(a.tier))
      speaker = row;
  }
  if (speaker.company.icp_score === undefined) delete company.icp_score;
  else company.icp_score = speaker.company.icp_score;
  company.tier = speaker.company.tier;
  const scores = new Set(group.rows.map((r) => r.company.icp_score));
  const tiers = new Set(group.rows.map((r) => r.company.tier));
  if (scores.size <= 1 && tiers.size <= 1) return { company };
  const described = group.rows
    .map(
      (r) =>
        `row ${r.row}: ${r.company.icp_score === undefined ? 'no score' : r.company.icp_score}, ${r.company.tier}`,
    )
    .join('; ');
  return {
    company,
    disagreement: `${company.name} (${described}) counts as ${company.icp_score ?? 'unscored'}, ${company.tier}`,
  };
}

const MAX_LISTED = 5;

/** Merges contact rows into companies (in the order each company is first seen). */
export function mergeContactRows(rows: readonly ContactRow[]): {
  companies: Company[];
  warnings: ReadWarning[];
} {
  const groups: Group[] = [];
  const byAccount = new Map<string, Group>();
  const byDomain = new Map<string, Group>();
  const byName = new Map<string, Group>();
  for (const row of rows) {
    const accountId = row.accountId?.trim() || undefined;
    const domain = row.company.domain;
    const name = nameKey(row.company.name);
    const compatible = (g: Group | undefined) =>
      g !== undefined && (accountId === undefined || g.accountId === undefined || g.accountId === accountId)
        ? g
        : undefined;
    let group =
      (accountId === undefined ? undefined : byAccount.get(accountId)) ??
      compatible(domain === undefined ? undefined : byDomain.get(domain)) ??
      compatible(name === '' ? undefined : byName.get(name));
    if (!group) {
      group = { accountId, rows: [] };
      groups.push(group);
    }
    group.rows.push(row);
    if (accountId !== undefined) {
      group.accountId ??= accountId;
      if (!byAccount.has(accountId)) byAccount.set(accountId, group);
    }
    if (domain !== undefined && !byDomain.has(domain)) byDomain.set(domain, group);
    if (name !== '' && !byName.has(name)) byName.set(name, group);
  }
  const companies: Company[] = [];
  const disagreements: string[] = [];
  for (const group of groups) {
    const { company, disagreement } = mergeGroup(group);
    companies.push(company);
    if (disagreement) disagreements.push(disagreement);
  }
  const warnings: ReadWarning[] = [
    {
      code: 'people_export',
      message: `A People export: ${rows.length} contact ${rows.length === 1 ? 'row' : 'rows'}, ${companies.length} ${companies.length === 1 ? 'company' : 'companies'} (rows merged by Apollo Account Id, then domain, then name).`,
    },
  ];
  if (disagreements.length > 0) {
    const shown = disagreements.slice(0, MAX_LISTED).join(' • ');
    const more = disagreements.length - MAX_LISTED;
    warnings.push({
      code: 'people_rows_disagree',
      message: `${disagreements.length} ${disagreements.length === 1 ? 'company has' : 'companies have'} contact rows that disagree on score or tier; the row with the highest score counts: ${shown}${more > 0 ? ` • …and ${more} more` : ''}.`,
    });
  }
  return { companies, warnings };
}
