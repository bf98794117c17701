/**
 * `report --campaigns FILE`: campaign updates from a file give the same model as the Slack app
 * computes over a store holding the same runs and updates.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { DashboardModel } from '../../src/domain/dashboard.js';
import { parsePeriod } from '../../src/domain/period.js';
import { parseCampaignPayload } from '../../src/features/campaigns/input.js';
import { campaignContext, recordCampaignEntries } from '../../src/features/campaigns/service.js';
import { buildDashboard, storeDashboardSource } from '../../src/services/dashboard.js';
import { ingestRun } from '../../src/services/ingest.js';
import { createKeyvStore } from '../../src/store/keyv-store.js';
import { ROOT } from './ensure-built.js';

const RUN = join(ROOT, 'test', 'fixtures', 'run-canonical.json');
const NOW = new Date('2026-11-24T00:00:00Z');
const UPDATES = [
  { channel: 'email', sent: 1200, opened: 500, responded: 48, converted: 3, date: '2026-11-20' },
  { channel: 'linkedin', sent: 300, replied: 12, converted: 1, date: '2026-11-21' },
  { channel: 'email', mode: 'set', responded: 50, date: '2026-11-20' },
  // Undated: today in the report's zone.
  { channel: 'content', sent: 80 },
];

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'apollo-cli-campaigns-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('report --campaigns', () => {
  it('prints the campaign section, funnel and trends the Slack app computes for the same data', async () => {
    const campaignsFile = join(tmp, 'campaigns.json');
    await writeFile(campaignsFile, JSON.stringify(UPDATES));
    const out = await cli([
      'report',
      '--period',
      'all',
      '--now',
      NOW.toISOString(),
      '--campaigns',
      campaignsFile,
      RUN,
    ]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout) as DashboardModel;
    expect(printed.campaign_performance.campaign_comparison.Email).toMatchObject({
      sent: 1200,
      opened: 500,
      responded: 50,
      converted: 3,
      roi: 4900,
    });
    expect(printed.campaign_performance.campaign_comparison.Content).toMatchObject({
      sent: 80,
      converted: 0,
    });
    expect(printed.campaign_performance.best_performing_campaign).toBe('LinkedIn');
    expect(printed.funnel.steps.find((s) => s.step === 'contacted')?.count).toBe(1580);

    const store = await createKeyvStore({ url: `sqlite://${join(tmp, 'store.sqlite')}` });
    try {
      await ingestRun({
        store,
        team: 'T1',
        upload: { bytes: await readFile(RUN), contentType: 'application/json' },
        limits: { maxBytes: 1 << 20, maxCompanies: 1000 },
        source: 'api',
        now: NOW,
      });
      const context = await campaignContext(store, 'T1', { now: NOW, defaultTimeZone: 'UTC' });
      await recordCampaignEntries({
        store,
        team: 'T1',
        entries: parseCampaignPayload(UPDATES, { today: context.today, timeZone: 'UTC' }),
        user: 'api',
        source: 'api',
        now: NOW,
        context,
      });
      const slack = await buildDashboard({
        source: await storeDashboardSource(store, 'T1'),
        period: parsePeriod('all'),
        now: NOW,
        defaultTimeZone: 'UTC',
      });
      expect(printed).toEqual(JSON.parse(JSON.stringify(slack)));
    } finally {
      await store.close();
    }
  });

  it('exits 1 naming the update and field when the file is wrong, and 1 when it is not JSON', async () => {
    const bad = join(tmp, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify([
        { channel: 'email', sent: 5 },
        { channel: 'email', sent: 5, converted: 9 },
      ]),
    );
    const out = await cli(['report', '--now', NOW.toISOString(), '--campaigns', bad, RUN]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('bad.json: 1 problem in the campaign updates.');
    expect(out.stderr).toContain('updates[1]');
    expect(out.stderr).toContain('converted=9 is more than sent=5');

    const broken = join(tmp, 'broken.json');
    await writeFile(broken, '[{');
    const notJson = await cli(['report', '--now', NOW.toISOString(), '--campaigns', broken, RUN]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain('broken.json: not JSON');
  });
});
