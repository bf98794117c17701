/** The `export` words, the file names, the JSON contract and the limits of the companies export. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { parseExportArgs } from '../../../src/features/exports/grammar.js';
import {
  renderExportAck,
  renderExportComment,
  renderNothingToExport,
} from '../../../src/features/exports/messages.js';
import { renderDashboardJson } from '../../../src/features/exports/render-export.js';
import { buildExport } from '../../../src/features/exports/service.js';
import { assertResponseBody } from '../../helpers/slack-limits.js';
import { EXPORT_NOW, exportOf, exportRuns, memorySource } from './fixtures.js';

function problem(words: string[]): string {
  try {
    parseExportArgs(words);
  } catch (error) {
    if (isAppError(error, 'bad_command')) return error.message;
    throw error;
  }
  throw new Error(`accepted: ${words.join(' ')}`);
}

describe('parseExportArgs', () => {
  it('reads the format, an optional period and tier in any order', () => {
    expect(parseExportArgs(['json'])).toEqual({
      format: 'json',
      period: { kind: 'rolling', days: 7 },
      tier: null,
    });
    expect(parseExportArgs(['HTML', '30d'])).toEqual({
      format: 'html',
      period: { kind: 'rolling', days: 30 },
      tier: null,
    });
    expect(parseExportArgs(['companies', 'tier=Qualified', '2026-11-01..2026-11-15'])).toEqual({
      format: 'companies',
      period: { kind: 'range', from: '2026-11-01', to: '2026-11-15' },
      tier: 'qualified',
    });
    expect(parseExportArgs(['companies', 'all', 'tier=1']).tier).toBe('1');
  });

  it('says what is wrong', () => {
    expect(problem([])).toContain('Say which export');
    expect(problem(['pdf'])).toContain('`pdf` is not an export format');
    expect(problem(['csv', 'tier=1'])).toContain('`tier=` filters the `companies` export only');
    expect(problem(['companies', 'tier=4'])).toContain('use `tier=1`');
    expect(problem(['companies', 'tier=1', 'tier=2'])).toContain('Give `tier=` once');
    expect(problem(['json', '7d', '30d'])).toContain('Give one period');
    expect(problem(['json', 'fortnight'])).toContain('is not a period');
  });
});

describe('the export file', () => {
  it('names the file after what it holds, the period and the local date', async () => {
    const runs = exportRuns();
    expect((await exportOf(runs, { format: 'json' })).filename).toBe('apollo-dashboard_7d_2026-11-24.json');
    expect((await exportOf(runs, { format: 'csv', period: { kind: 'all' } })).filename).toBe(
      'apollo-dashboard_all_2026-11-24.csv',
    );
    expect(
      (
        await exportOf(runs, {
          format: 'companies',
          period: { kind: 'range', from: '2026-11-01', to: '2026-11-23' },
        })
      ).filename,
    ).toBe('apollo-companies_2026-11-01_to_2026-11-23_2026-11-24.csv');
  });

  it('is, as JSON, the dashboard model with the period and generation time', async () => {
    const file = await exportOf(exportRuns(), { format: 'json' });
    const model = JSON.parse(file.content);
    expect(model.generated_at).toBe(EXPORT_NOW.toISOString());
    expect(model.period).toEqual({
      key: '7d',
      label: 'Last 7 days',
      start: '2026-11-17T12:00:00.000Z',
      end: null,
      time_zone: 'UTC',
    });
    expect(model.runs.count).toBe(2);
    expect(file.content).toBe(renderDashboardJson(model));
    await expect(file.content).toMatchFileSnapshot('__snapshots__/export/dashboard.json');
  });

  it('uses the workspace time zone for the period and the file date', async () => {
    const file = await buildExport({
      source: memorySource(exportRuns(), {
        timezone: { value: 'Pacific/Auckland', set_by: 'U1', set_at: '2026-11-01T00:00:00Z' },
      }),
      request: {
        format: 'json',
        period: { kind: 'range', from: '2026-11-24', to: '2026-11-24' },
        tier: null,
      },
      now: new Date('2026-11-23T20:00:00Z'),
      defaultTimeZone: 'UTC',
    });
    expect(file.period.start).toBe('2026-11-23T11:00:00.000Z');
    expect(file.filename).toBe('apollo-dashboard_2026-11-24_to_2026-11-24_2026-11-24.json');
  });

  it('refuses a companies export larger than the limit before loading any company', async () => {
    const source = memorySource(exportRuns());
    let loaded = 0;
    const counting = {
      ...source,
      loadCompanies: async (id: string) => {
        loaded += 1;
        return source.loadCompanies(id);
      },
    };
    const attempt = buildExport({
      source: counting,
      request: { format: 'companies', period: { kind: 'all' }, tier: null },
      now: EXPORT_NOW,
      defaultTimeZone: 'UTC',
      maxCompanies: 10,
    });
    await expect(attempt).rejects.toThrow(
      'All runs holds 15 companies, more than the 10 one export can hold',
    );
    expect(loaded).toBe(0);
  });
});

describe('the Slack words around an export', () => {
  it('acknowledges at once with what is coming', () => {
    const ack = renderExportAck(parseExportArgs(['companies', '30d', 'tier=1']));
    assertResponseBody({ response_type: 'ephemeral', ...ack });
    expect(ack.text).toBe(
      ':hourglass_flowing_sand: Your companies CSV (Tier 1) for the last 30 days is on its way; it will be posted in this channel.',
    );
  });

  it('comments the file in one line: what, period, runs and generation time, escaped', async () => {
    const runs = exportRuns();
    const html = await exportOf(runs, { format: 'html' });
    expect(renderExportComment(html)).toBe(
      ':page_facing_up: Apollo export: HTML report · Last 7 days · 2 runs · generated 2026-11-24 12:00 UTC',
    );
    const companies = await exportOf(runs, { format: 'companies', tier: 'qualified' });
    expect(renderExportComment(companies)).toBe(
      ':page_facing_up: Apollo export: 7 qualified (Tier 1-3) companies · Last 7 days · 2 runs · generated 2026-11-24 12:00 UTC',
    );
    const latest = await exportOf(
      [{ ...runs[0], run_id: '<!channel>', companies: [] } as (typeof runs)[number]],
      { format: 'json', period: { kind: 'last' } },
    );
    const comment = renderExportComment(latest);
    expect(comment).toContain('Latest run &lt;!channel&gt;');
    expect(comment).not.toContain('<!channel>');
    expect(comment).not.toContain('\n');
  });

  it('explains an empty export instead of posting it', async () => {
    const none = renderNothingToExport(await exportOf([], { format: 'csv' }));
    assertResponseBody({ response_type: 'ephemeral', ...none });
    expect(none.text).toBe(
      'There are no runs in Last 7 days, so nothing was posted. Try a longer period such as `all`.',
    );
  });
});
