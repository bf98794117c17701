/**
 * Real Apollo files through the app's three ways in: the ingest API, the Slack upload form and the
 * offline CLI read them the same way, store nothing on a refusal, keep warnings with the run, and
 * the API never waits on Slack to know its workspace.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceFromFiles } from '../src/cli.js';
import type { RunAggregate } from '../src/domain/aggregate.js';
import { ACTIONS, BLOCKS, VIEWS } from '../src/ids.js';
import { readBotTeam } from '../src/slack/workspace.js';
import { fixtureBytes } from './domain/read/fixture.js';
import {
  BOT_TOKEN,
  type Harness,
  INGEST_TOKEN,
  startHarness,
  TEAM,
  viewSubmissionPayload,
  visibleText,
} from './helpers/app-harness.js';
import { assertAllSurfaces } from './helpers/slack-limits.js';

const STARTED = '2026-11-23T00:00:00.000Z';

/** An aggregate without its run id, to compare runs stored under different ids. */
function figuresOf(aggregate: RunAggregate | undefined) {
  if (!aggregate) throw new Error('no aggregate');
  const { run_id: _id, ...rest } = aggregate;
  return JSON.parse(JSON.stringify({ ...rest, scores: aggregate.scores }));
}

describe('reading Apollo files through the app', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('the Slack form, the API and the CLI give the same result for the same People export', async () => {
    const bytes = fixtureBytes('people-export.csv');

    // The API, with a generic content type: the format comes from the content.
    const api = await h.ingest(bytes, {
      contentType: 'application/octet-stream',
      query: '?started_at=2026-11-23&run_id=via-api',
    });
    expect(api.status).toBe(201);
    expect(api.json.run.contact_rows).toBe(15);
    expect(api.json.run.headline.companies).toBe(8);
    expect(api.json.warnings.map((w: { code: string }) => w.code)).toEqual([
      'people_export',
      'people_rows_disagree',
    ]);

    // The Slack form, with the run date picked.
    const url = h.fake.serveFile('people-export.csv', Buffer.from(bytes), { token: BOT_TOKEN });
    await h.interact(
      viewSubmissionPayload({
        callbackId: VIEWS.upload,
        privateMetadata: JSON.stringify({ channel_id: 'C_UPLOAD' }),
        values: {
          [BLOCKS.uploadFile]: {
            [ACTIONS.uploadFile]: {
              type: 'file_input',
              files: [{ id: 'F1', name: 'people-export.csv', size: bytes.length, url_private_download: url }],
            },
          },
          [BLOCKS.uploadDate]: { [ACTIONS.uploadDate]: { type: 'datepicker', selected_date: '2026-11-23' } },
          [BLOCKS.uploadRunId]: { [ACTIONS.uploadRunId]: { type: 'plain_text_input', value: 'via-form' } },
        },
      }),
    );
    const told = await h.fake.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C_UPLOAD',
    );
    assertAllSurfaces([told]);
    const answer = visibleText(told.args);
    expect(answer).toContain(
      'Run via-form stored: 15 contact rows, 8 companies, 6 qualified (75.0%), 3 Tier 1',
    );
    expect(answer).toContain('A People export: 15 contact rows, 8 companies');

    // The CLI's reading of the same bytes.
    const cli = await sourceFromFiles({
      files: [{ name: 'people-export.csv', bytes }],
      now: new Date('2026-11-24T00:00:00Z'),
      startedAt: '2026-11-23',
    });

    const runs = await h.store.listRuns(TEAM);
    const apiMeta = runs.find((r) => r.run_id === 'via-api');
    const formMeta = runs.find((r) => r.run_id === 'via-form');
    const cliMeta = cli.runs[0];
    for (const meta of [apiMeta, formMeta, cliMeta]) {
      expect(meta?.started_at).toBe(STARTED);
      expect(meta?.contact_rows).toBe(15);
      expect(meta?.headline).toEqual(apiMeta?.headline);
      expect(meta?.warnings).toEqual(apiMeta?.warnings);
    }
    const [apiAgg, formAgg] = await h.store.getAggregates(TEAM, ['via-api', 'via-form']);
    const [cliAgg] = await cli.loadAggregates([cliMeta?.run_id ?? '']);
    expect(figuresOf(formAgg)).toEqual(figuresOf(apiAgg));
    expect(figuresOf(cliAgg)).toEqual(figuresOf(apiAgg));
    expect(apiAgg?.companies).toBe(8);
    expect(Object.keys(apiAgg?.countries ?? {}).sort()).toEqual(
      ['France', 'Germany', 'Norway', 'Switzerland', 'United Kingdom', 'United States'].sort(),
    );
  });

  it('honours charset= and detects CSV in text/plain; refusals store nothing', async () => {
    const ok = await h.ingest(fixtureBytes('companies-excel-win1252.csv'), {
      contentType: 'text/plain; charset=windows-1252',
      query: '?started_at=2026-11-23&run_id=win',
    });
    expect(ok.status).toBe(201);
    expect(ok.json.warnings).toEqual([]);
    const companies = await h.store.getCompanies(TEAM, 'win');
    expect(companies?.map((c) => c.name)).toContain('O\u2019Brien & Søn ApS');

    const before = await h.store.listRuns(TEAM);
    const wrong = await h.ingest(fixtureBytes('companies-excel-win1252.csv'), {
      contentType: 'text/csv; charset=utf-8',
      query: '?started_at=2026-11-23&run_id=wrong',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toMatch(/^Line 2 cannot be read as the declared utf-8/);
    const fractions = await h.ingest(fixtureBytes('companies-fraction-scores.csv'), {
      contentType: 'text/csv',
      query: '?started_at=2026-11-23&run_id=fractions',
    });
    expect(fractions.status).toBe(400);
    expect(fractions.json.problems[0].message).toMatch(/^ICP scores are 0-100/);
    const bad = await h.ingest(fixtureBytes('companies-bad-rows.csv'), {
      contentType: 'text/csv',
      query: '?started_at=2026-11-23&run_id=bad',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.problems.map((p: { where: string }) => p.where)).toEqual(['row 9', 'row 12']);
    expect(await h.store.listRuns(TEAM)).toEqual(before);

    const scaled = await h.ingest(fixtureBytes('companies-fraction-scores.csv'), {
      contentType: 'text/csv',
      query: '?started_at=2026-11-23&run_id=fractions&score_scale=0-1',
    });
    expect(scaled.status).toBe(201);
    expect(scaled.json.warnings.map((w: { code: string }) => w.code)).toEqual(['scores_scaled']);
  });

  it('reads a saved Apollo search page dated by started_at, and says what it cannot carry', async () => {
    const page = await h.ingest(fixtureBytes('apollo-search-page.json'), {
      query: '?started_at=2026-11-23&run_id=search',
    });
    expect(page.status).toBe(201);
    expect(page.json.run.headline).toMatchObject({ companies: 9, qualified: 5, tier_1: 2 });
    expect(page.json.warnings.map((w: { message: string }) => w.message)).toContain(
      'No company has industry or employee count (Apollo search results carry no firmographics; enrich the organizations for them): those tables show them as Unknown.',
    );
  });

  it('keeps warnings with the run: runs lists them, the dashboard notes them, and no unscored advice', async () => {
    const up = await h.ingest(fixtureBytes('companies-no-scores.csv'), {
      contentType: 'text/csv',
      query: '?started_at=2026-11-23&run_id=unscored',
    });
    expect(up.status).toBe(201);
    expect(up.json.warnings.map((w: { code: string }) => w.code)).toEqual(['no_scores']);

    const runs = visibleText(await (await h.command('runs')).reply());
    expect(runs).toContain('1 warning');
    expect(runs).toContain('No company has an ICP score or a tier');

    const reply = await (await h.command('all')).reply();
    assertAllSurfaces([reply]);
    const dashboard = visibleText(reply);
    expect(dashboard).toContain('1 run in this period came with upload warnings');
    expect(dashboard).not.toContain('Refine the Apollo search filters');
  });
});

describe('the ingest API never waits on Slack for its workspace', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  /** auth.test answers only after 4.5 s: longer than the app waits (3 s). */
  const slowAuthTest = () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 4500));

  it('answers 503 with Retry-After within seconds while the workspace is unknown, then learns it', async () => {
    h = await startHarness({ beforeStart: (fake) => fake.on('auth.test', slowAuthTest) });
    const started = Date.now();
    const refused = await h.ingest(fixtureBytes('apollo-enrich.json'), { query: '?started_at=2026-11-23' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(refused.status).toBe(503);
    expect(refused.json.error).toBe('workspace_unknown');
    expect(await h.store.listRuns(TEAM)).toEqual([]);
    const res = await fetch(`${h.url}/api/runs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${INGEST_TOKEN}`, 'Content-Type': 'application/json' },
      body: fixtureBytes('apollo-enrich.json'),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');

    // Slack answers again: the next upload learns the workspace, and the store keeps it.
    h.fake.on('auth.test', () => undefined);
    const stored = await h.ingest(fixtureBytes('apollo-enrich.json'), { query: '?started_at=2026-11-23' });
    expect(stored.status).toBe(201);
    expect(await readBotTeam(h.store)).toBe(TEAM);
  }, 20_000);

  it('a restart while Slack is unreachable still knows the workspace from the store', async () => {
    h = await startHarness();
    await h.ingest(fixtureBytes('apollo-enrich.json'), { query: '?started_at=2026-11-23&run_id=first' });
    h.fake.on('auth.test', slowAuthTest);
    await h.restart();
    const started = Date.now();
    const up = await h.ingest(fixtureBytes('apollo-enrich.json'), {
      query: '?started_at=2026-11-24&run_id=second',
    });
    expect(up.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 20_000);
});

describe('Slack unreachable at start-up', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('answers commands once Slack is back: a failed auth.test is asked again, not kept', async () => {
    let down = true;
    h = await startHarness({
      beforeStart: (fake) =>
        fake.on('auth.test', () =>
          down ? { status: 500, body: { ok: false, error: 'fake_down' } } : undefined,
        ),
    });
    // Slack refused the start-up auth.test; it is back before the first command.
    await h.fake.waitFor((c) => c.method === 'auth.test');
    down = false;
    const { ack } = await h.command('help');
    expect(ack.status).toBe(200);
    expect(visibleText(ack.json)).toContain('/apollo-dashboard upload');
  });
});
