// biome-ignore-all lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON in tests
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, INGEST_CAMPAIGNS_PATH, VIEWS } from '../../../src/ids.js';
import { loadCampaignUpdates } from '../../../src/services/campaign-updates.js';
import {
  blockActionPayload,
  type Harness,
  INGEST_TOKEN,
  startHarness,
  TEAM,
  viewSubmissionPayload,
  visibleText,
} from '../../helpers/app-harness.js';
import { assertAllSurfaces, assertResponseBody } from '../../helpers/slack-limits.js';
import { sql } from '../../helpers/sqlite-file.js';

const NOW = new Date('2026-11-24T12:00:00Z');

async function updates(h: Harness) {
  return loadCampaignUpdates(h.store, TEAM);
}

async function postCampaigns(h: Harness, body: unknown, token: string | null = INGEST_TOKEN) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${h.url}${INGEST_CAMPAIGNS_PATH}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

/** A run whose 10 companies are 4 qualified (2 Tier 1); Email 3, LinkedIn 2, Content 1 assigned; 20 credits. */
function runJson(): string {
  const companies = Array.from({ length: 10 }, (_, i) => ({
    name: `Company ${i}`,
    icp_score: 90 - i * 5,
    tier: i < 2 ? 'Tier 1' : i < 4 ? 'Tier 2' : 'Unqualified',
    campaign: i < 3 ? 'Email' : i < 5 ? 'LinkedIn' : i < 6 ? 'Content' : undefined,
  }));
  const api_calls = Array.from({ length: 20 }, (_, i) => ({
    timestamp: new Date(Date.parse('2026-11-23T09:00:00Z') + i * 1000).toISOString(),
    endpoint: '/mixed_companies/search',
    response_time: 0.5,
    status_code: 200,
    credits_used: 1,
  }));
  return JSON.stringify({ run_id: 'run-c', started_at: '2026-11-23T09:00:00Z', companies, api_calls });
}

describe('campaign tracking over signed HTTP against a fake Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW, env: { ADMIN_USER_IDS: 'U_ADMIN' } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('records an update (free order, replied=, thousands separators) and answers with the 7-day totals', async () => {
    const { ack, reply } = await h.command('campaign email replied=40 sent=1,200 converted=2 opened=300');
    expect(ack.status).toBe(200);
    const body = await reply();
    assertResponseBody(body);
    expect(body.response_type).toBe('ephemeral');
    const text = visibleText(body);
    expect(text).toContain(
      'Recorded for Email on 2026-11-24:* +1,200 sent · +300 opened · +40 responded · +2 converted.',
    );
    expect(text).toContain('*Email, last 7 days*');
    expect(text).toContain('*Sent*\n1,200');
    expect(text).toContain('*Responded*\n40 (3.3%)');
    expect(text).toContain('*Converted*\n2 (0.17%)');
    expect(text).toContain('*Cost / revenue*\n600.00 / 20,000.00');
    expect(text).toContain('*ROI*\n3,233%');
    expect(await updates(h)).toMatchObject([
      {
        channel: 'Email',
        date: '2026-11-24',
        mode: 'increment',
        sent: 1200,
        opened: 300,
        responded: 40,
        converted: 2,
      },
    ]);
    expect((await updates(h))[0]?.user).toBe('U_ADMIN');
  });

  it('shows money in the workspace currency once `settings currency=` is set, everywhere; none clears it', async () => {
    // A workspace of its own, so the other tests' totals stay as they are.
    const team = { team: 'T_EURO' };
    const bad = await h.command('settings currency=euro', team);
    expect(visibleText(bad.ack.json)).toContain('currency must be a three-letter ISO 4217 code');
    const set = await (await h.command('settings currency=eur', team)).reply();
    assertResponseBody(set);
    expect(visibleText(set)).toContain('*currency*: EUR (set by <@U_ADMIN>');
    // The settings view's own amounts follow it: the default 0.50 per contact.
    expect(visibleText(set)).toContain('*cost_per_contact*: €0.50');
    // 1,200 sent, 2 converted: cost 1,200 × 0.50 = 600.00, revenue 2 × 10,000 = 20,000.00.
    const recorded = await (await h.command('campaign email sent=1,200 converted=2', team)).reply();
    expect(visibleText(recorded)).toContain('*Cost / revenue*\n€600.00 / €20,000.00');
    expect(visibleText(recorded)).toContain('ROI assumes €0.50 per contact and €10,000.00 per conversion');
    const full = await (await h.command('full 7d', team)).reply();
    expect(visibleText(full)).toContain('cost €600.00 · revenue €20,000.00');
    const cleared = await (await h.command('settings currency=none', team)).reply();
    expect(visibleText(cleared)).toContain('*currency*: not set');
    expect(await h.store.getSettings('T_EURO')).not.toHaveProperty('currency');
    const plain = await (await h.command('full 7d', team)).reply();
    expect(visibleText(plain)).toContain('cost 600.00 · revenue 20,000.00');
  });

  it('takes date= and adds to the period’s totals', async () => {
    const body = await (await h.command('campaign EMAIL date=2026-11-20 sent=800 responded=10')).reply();
    expect(visibleText(body)).toContain('Recorded for Email on 2026-11-20');
    expect(visibleText(body)).toContain('*Sent*\n2,000');
    expect(visibleText(body)).toContain('*Responded*\n50 (2.5%)');
  });

  it.each([
    ['campaign fax sent=1', '`fax` is not a campaign channel'],
    ['campaign email clicks=3', 'Unknown key `clicks=3`'],
    ['campaign email sent=12.5', '`sent=12.5`: sent must be a whole number'],
    ['campaign email sent=-4', '`sent=-4`: sent must be a whole number'],
    ['campaign email opened=4', 'An update needs sent=N'],
    ['campaign email sent=10 converted=11', 'converted=11 is more than sent=10'],
    ['campaign email sent=10 date=2026-11-31', '`date=2026-11-31`: date must be a real date'],
    ['campaign undo please', 'Usage: `campaign undo`'],
  ])('answers `%s` at once with the problem and the usage, storing nothing', async (command, problem) => {
    const before = await updates(h);
    const { ack } = await h.command(command);
    expect(ack.status).toBe(200);
    assertResponseBody(ack.json);
    expect(ack.json.response_type).toBe('ephemeral');
    const text = visibleText(ack.json);
    expect(text).toContain(problem);
    expect(text).toContain('*Usage*');
    expect(text).toContain('/apollo-dashboard campaign email|linkedin|content sent=N');
    expect(await updates(h)).toEqual(before);
  });

  it('refuses a future date (in the workspace’s zone) with the usage, storing nothing', async () => {
    const before = await updates(h);
    const body = await (await h.command('campaign linkedin sent=5 date=2026-11-25')).reply();
    assertResponseBody(body);
    expect(body.response_type).toBe('ephemeral');
    expect(visibleText(body)).toContain('date=2026-11-25 is in the future (today is 2026-11-24 in UTC)');
    expect(visibleText(body)).toContain('*Usage*');
    expect(await updates(h)).toEqual(before);
  });

  it('corrects a date with set and says what it replaced', async () => {
    const body = await (await h.command('campaign email set sent=1,000 responded=30')).reply();
    assertResponseBody(body);
    const text = visibleText(body);
    expect(text).toContain(
      'Email on 2026-11-24 corrected.* Replaced: sent 1,200 → 1,000 · opened 300 (kept) · responded 40 → 30 · converted 2 (kept).',
    );
    expect(text).toContain('*Sent*\n1,800');
    expect(text).toContain('*Responded*\n40 (2.2%)');
  });

  it('warns when a correction leaves more responses than sends, and keeps it', async () => {
    const body = await (await h.command('campaign email set sent=5 date=2026-11-20')).reply();
    const text = visibleText(body);
    expect(text).toContain('On 2026-11-20, Email now has 10 responded but 5 sent.');
    const stored = await updates(h);
    expect(stored[stored.length - 1]).toMatchObject({ mode: 'set', sent: 5, date: '2026-11-20' });
    expect(stored[stored.length - 1]?.responded).toBeUndefined();
    // Put the day back for the figures below.
    await (await h.command('campaign email set sent=800 date=2026-11-20')).reply();
  });

  it('undoes the caller’s last update after a confirmation, and only theirs', async () => {
    await (await h.command('campaign content sent=50 converted=1', { user: 'U_MARKETER' })).reply();
    const nothing = await (await h.command('campaign undo', { user: 'U_NOBODY' })).reply();
    expect(visibleText(nothing)).toContain('You have no campaign updates to undo.');

    const confirm = await (await h.command('campaign undo', { user: 'U_MARKETER' })).reply();
    assertResponseBody(confirm);
    expect(visibleText(confirm)).toContain(
      'Content on 2026-11-24: +sent 50 · +opened 0 · +responded 0 · +converted 1',
    );
    const buttons = confirm.blocks.find((b: any) => b.type === 'actions').elements;
    expect(buttons.map((b: any) => b.action_id)).toEqual([
      ACTIONS.campaignUndoConfirm,
      ACTIONS.campaignUndoCancel,
    ]);
    const id = buttons[0].value;

    const keep = h.fake.responseUrl('undo-keep');
    await h.interact(
      blockActionPayload({
        actionId: ACTIONS.campaignUndoCancel,
        value: id,
        user: 'U_MARKETER',
        responseUrl: keep,
      }),
    );
    const kept = await h.fake.waitForResponse((r) => r.id === 'undo-keep');
    assertResponseBody(kept.body);
    expect(visibleText(kept.body)).toContain('Kept your campaign update');
    expect((await updates(h)).some((u) => u.id === id)).toBe(true);

    // Someone else pressing the button removes nothing.
    const other = h.fake.responseUrl('undo-other');
    await h.interact(
      blockActionPayload({
        actionId: ACTIONS.campaignUndoConfirm,
        value: id,
        user: 'U_ADMIN',
        responseUrl: other,
      }),
    );
    expect(visibleText((await h.fake.waitForResponse((r) => r.id === 'undo-other')).body)).toContain(
      'already removed; nothing changed',
    );
    expect((await updates(h)).some((u) => u.id === id)).toBe(true);

    const click = h.fake.responseUrl('undo-yes');
    await h.interact(
      blockActionPayload({
        actionId: ACTIONS.campaignUndoConfirm,
        value: id,
        user: 'U_MARKETER',
        responseUrl: click,
      }),
    );
    const done = await h.fake.waitForResponse((r) => r.id === 'undo-yes');
    assertResponseBody(done.body);
    expect(done.body.replace_original).toBe(true);
    expect(visibleText(done.body)).toContain(
      'Content on 2026-11-24 is now sent 0 · opened 0 · responded 0 · converted 0.',
    );
    expect((await updates(h)).some((u) => u.id === id)).toBe(false);
  });

  it('opens the form, reports errors inline on the fields, and records a valid submission', async () => {
    const before = h.fake.callsOf('views.open').length;
    await h.command('campaign', { channel: 'C_CAMPAIGNS' });
    const open = await h.fake.waitFor(
      (c) => c.method === 'views.open' && h.fake.callsOf('views.open').length > before,
    );
    assertAllSurfaces([open]);
    const view = open.args.view;
    expect(view.callback_id).toBe(VIEWS.campaign);
    expect(view.blocks.map((b: any) => b.block_id).filter(Boolean)).toEqual([
      BLOCKS.campaignChannel,
      BLOCKS.campaignSent,
      BLOCKS.campaignOpened,
      BLOCKS.campaignResponded,
      BLOCKS.campaignConverted,
      BLOCKS.campaignDate,
    ]);
    const date = view.blocks.find((b: any) => b.block_id === BLOCKS.campaignDate);
    expect(date.element.initial_date).toBe('2026-11-24');

    const countBefore = (await updates(h)).length;
    const bad = await h.interact(
      viewSubmissionPayload({
        callbackId: VIEWS.campaign,
        privateMetadata: view.private_metadata,
        values: {
          [BLOCKS.campaignChannel]: {
            [ACTIONS.campaignChannel]: { type: 'static_select', selected_option: null },
          },
          [BLOCKS.campaignSent]: { [ACTIONS.campaignSent]: { type: 'number_input', value: '10' } },
          [BLOCKS.campaignOpened]: { [ACTIONS.campaignOpened]: { type: 'number_input', value: '2.5' } },
          [BLOCKS.campaignResponded]: { [ACTIONS.campaignResponded]: { type: 'number_input', value: '12' } },
          [BLOCKS.campaignDate]: {
            [ACTIONS.campaignDate]: { type: 'datepicker', selected_date: '2026-12-01' },
          },
        },
      }),
    );
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({
      response_action: 'errors',
      errors: {
        [BLOCKS.campaignChannel]: 'Pick Email, LinkedIn or Content.',
        [BLOCKS.campaignOpened]: 'Enter a whole number from 0 to 1,000,000,000.',
        [BLOCKS.campaignResponded]: "Responded (12) can't be more than Sent (10).",
        [BLOCKS.campaignDate]: 'That is in the future; today is 2026-11-24.',
      },
    });
    expect((await updates(h)).length).toBe(countBefore);

    const ok = await h.interact(
      viewSubmissionPayload({
        callbackId: VIEWS.campaign,
        privateMetadata: view.private_metadata,
        values: {
          [BLOCKS.campaignChannel]: {
            [ACTIONS.campaignChannel]: {
              type: 'static_select',
              selected_option: { text: { type: 'plain_text', text: 'LinkedIn' }, value: 'linkedin' },
            },
          },
          [BLOCKS.campaignSent]: { [ACTIONS.campaignSent]: { type: 'number_input', value: '400' } },
          [BLOCKS.campaignOpened]: { [ACTIONS.campaignOpened]: { type: 'number_input', value: null } },
          [BLOCKS.campaignResponded]: { [ACTIONS.campaignResponded]: { type: 'number_input', value: '4' } },
          [BLOCKS.campaignConverted]: { [ACTIONS.campaignConverted]: { type: 'number_input', value: '0' } },
          [BLOCKS.campaignDate]: {
            [ACTIONS.campaignDate]: { type: 'datepicker', selected_date: '2026-11-22' },
          },
        },
      }),
    );
    expect(ok.status).toBe(200);
    const told = await h.fake.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C_CAMPAIGNS',
    );
    assertAllSurfaces([told]);
    expect(told.args.user).toBe('U_ADMIN');
    expect(visibleText(told.args)).toContain(
      'Recorded for LinkedIn on 2026-11-22:* +400 sent · +0 opened · +4 responded · +0 converted.',
    );
    expect((await updates(h)).length).toBe(countBefore + 1);
  });

  it('keeps every one of many concurrent updates', async () => {
    const before = await updates(h);
    const sentBefore = before.filter((u) => u.channel === 'Content').reduce((s, u) => s + (u.sent ?? 0), 0);
    const commands = await Promise.all(
      Array.from({ length: 12 }, (_, i) => h.command(`campaign content sent=${i + 1}`, { user: `U_C${i}` })),
    );
    await Promise.all(commands.map((c) => c.reply()));
    const after = await updates(h);
    expect(after.length).toBe(before.length + 12);
    const content = after.filter((u) => u.channel === 'Content');
    expect(content.reduce((s, u) => s + (u.sent ?? 0), 0)).toBe(sentBefore + 78);
    expect(new Set(after.map((u) => u.id)).size).toBe(after.length);
  });

  it('takes updates from tools on POST /api/campaigns with the ingest token, all or nothing', async () => {
    expect((await postCampaigns(h, { channel: 'email', sent: 1 }, null)).status).toBe(401);
    expect((await postCampaigns(h, { channel: 'email', sent: 1 }, 'wrong-token-0123456789')).status).toBe(
      401,
    );
    const before = await updates(h);
    const bad = await postCampaigns(h, [
      { channel: 'email', sent: 10 },
      { channel: 'linkedin', sent: 5, responded: 6 },
      { channel: 'content', sent: 'many' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('Nothing was stored');
    expect(bad.json.problems.map((p: any) => `${p.where}.${p.field}`)).toEqual([
      'updates[1].responded',
      'updates[2].sent',
    ]);
    expect((await postCampaigns(h, '{not json')).status).toBe(400);
    expect(await updates(h)).toEqual(before);

    const ok = await postCampaigns(h, [
      { channel: 'Content', sent: '1,000', opened: 400, replied: 20, converted: 1, date: '2026-11-21' },
      { channel: 'email', mode: 'set', converted: 3, date: '2026-11-20' },
    ]);
    expect(ok.status).toBe(201);
    expect(ok.json.stored).toBe(2);
    expect(ok.json.updates.map((u: any) => [u.channel, u.mode, u.user, u.source])).toEqual([
      ['Content', 'increment', 'api', 'api'],
      ['Email', 'set', 'api', 'api'],
    ]);
    expect(ok.json.updates[1].before.converted).toBe(0);
    expect(ok.json.updates[1].after.converted).toBe(3);
    expect(ok.json.totals.Content).toMatchObject({ sent: 1078, converted: 1 });
    expect((await updates(h)).length).toBe(before.length + 2);
  });

  it('sets ROI per workspace and per channel (admins only), and shows every setting with its source', async () => {
    const refused = await h.command('settings roi cost_per_contact=1', { user: 'U_MARKETER' });
    expect(visibleText(refused.ack.json)).toContain('Only the app admins');
    const bad = await h.command('settings roi cost_per_contact=free channel=linkedin');
    expect(visibleText(bad.ack.json)).toContain('cost_per_contact must be a number above 0');
    expect(visibleText(bad.ack.json)).toContain('*Usage*');

    const set = await (
      await h.command('settings roi cost_per_contact=2 revenue_per_conversion=12,000 channel=linkedin')
    ).reply();
    assertResponseBody(set);
    const text = visibleText(set);
    expect(text).toContain(
      '• *LinkedIn*: 2.00 per contact (set by <@U_ADMIN> on 2026-11-24 12:00) · 12,000.00 per conversion (set by <@U_ADMIN> on 2026-11-24 12:00)',
    );
    expect(text).toContain('• *Email*: 0.50 per contact (default) · 10,000.00 per conversion (default)');
    expect(text).toContain('• *cost_per_contact*: 0.50 (default)');

    const credit = await (await h.command('settings credit_cost=0.5')).reply();
    expect(visibleText(credit)).toContain('• *credit_cost*: 0.50 per Apollo credit (set by <@U_ADMIN>');
    const shown = await (await h.command('settings')).reply();
    expect(visibleText(shown)).toContain('• *rate_limit*: 100 requests/min (default)');
    expect(visibleText(shown)).toContain('• *revenue_per_conversion*: 10,000.00 (default)');
  });

  it('shows the campaign section, the empty channel and the funnel on the dashboard', async () => {
    expect((await h.ingest(runJson())).status).toBe(201);
    const body = await (await h.command('full 7d')).reply();
    assertResponseBody(body);
    const text = visibleText(body);
    // Email: 1,000 (set) + 800 (set back) sent on the 24th/20th; LinkedIn 400 at 2.00; Content 1,078.
    expect(text).toMatch(/• \*Email\* :trophy:: 1,800 sent · /);
    expect(text).toContain(
      '• *LinkedIn*: 400 sent · 0.0% opened · 1.0% responded · 0.00% converted (0) · cost 800.00',
    );
    expect(text).toContain('Campaign assignment: Email 3 · LinkedIn 2 · Content 1 · unassigned 4');
    expect(text).toContain('Discovered in Apollo');
    expect(text).toContain('per qualified account 5.00 (2.50)');
    expect(text).toContain('Campaign ROI:');

    // A period with runs but no sends shows each channel as such, never as a 0 % ROI.
    const older = await (await h.command('full 2026-11-01..2026-11-10')).reply();
    expect(visibleText(older)).not.toContain('*Campaigns*');
    const range = await (await h.command('full 2026-11-23..2026-11-23')).reply();
    assertResponseBody(range);
    const rangeText = visibleText(range);
    expect(rangeText).toContain('*Campaigns* · no sends recorded in this period');
    expect(rangeText).toContain('• *Email*: nothing sent in this period (3 companies assigned) · ROI n/a');
    expect(rangeText).toContain(
      '3 companies were assigned to Email but no sends were recorded in this period',
    );
  });

  it('dates updates in the workspace’s zone', async () => {
    await (await h.command('settings timezone=Pacific/Auckland')).reply();
    // 12:00 UTC on the 24th is already the 25th in Auckland.
    const body = await (await h.command('campaign email sent=1 date=2026-11-25')).reply();
    expect(visibleText(body)).toContain('Recorded for Email on 2026-11-25');
    const last = (await updates(h)).at(-1);
    expect(last?.date).toBe('2026-11-25');
    await (await h.command('settings timezone=UTC')).reply();
  });
});

describe('damaged campaign records', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW, env: { ADMIN_USER_IDS: 'U_ADMIN' } });
  });
  afterAll(async () => {
    await h.stop();
  });

  const file = () => join(h.dir, 'store.sqlite');
  const docKey = (name: string) => `keyv:t:${TEAM}:doc:${name}`;
  async function health(): Promise<any> {
    const res = await fetch(`${h.url}/healthz`);
    return res.json();
  }

  it('leave the readable updates on the dashboard, are named, refuse a batch, and go with campaign repair', async () => {
    expect((await h.ingest(runJson())).status).toBe(201);
    // Page 0: 1,000 LinkedIn updates of one sent each; page 1: one Email update.
    const linkedin = Array.from({ length: 1000 }, () => ({
      channel: 'linkedin',
      sent: 1,
      date: '2026-11-23',
    }));
    expect((await postCampaigns(h, linkedin)).status).toBe(201);
    expect(visibleText(await (await h.command('campaign email sent=1,200')).reply())).toContain(
      '*Sent*\n1,200',
    );
    const before = visibleText(await (await h.command('full 7d')).reply());
    expect(before).toContain('• *LinkedIn*: 1,000 sent');

    const brokenPage = JSON.stringify({ value: { kind: 'page', v: 1, at: 'lost', updates: [] } });
    const brokenMonth = JSON.stringify({ value: { kind: 'month', v: 1, days: { '2026-11-24': 7 } } });
    await sql(file(), 'UPDATE keyv SET value = ? WHERE key = ?', brokenPage, docKey('campaigns-page-0'));
    await sql(
      file(),
      'UPDATE keyv SET value = ? WHERE key = ?',
      brokenMonth,
      docKey('campaigns-month-2026-11'),
    );

    const dashboard = visibleText(await (await h.command('full 7d')).reply());
    expect(dashboard).toMatch(/• \*Email\* :trophy:: 1,200 sent/);
    expect(dashboard).toContain('• *LinkedIn*: nothing sent in this period');
    expect(dashboard).toContain(
      'Damaged and left out: campaign updates page 0. Remove with `/apollo-dashboard campaign repair` (admins).',
    );
    expect(await health()).toMatchObject({ status: 'ok', damaged_records: 1 });

    // A batch that needs the damaged month is refused, and nothing is written over it.
    const refused = visibleText(await (await h.command('campaign email sent=5')).reply());
    expect(refused).toContain('Could not record the campaign update; nothing was stored.');
    expect(refused).toContain('Damaged campaign records, left as they are (nothing is written over them): ');
    expect(refused).toContain('campaigns-month-2026-11');
    expect(refused).toContain('/apollo-dashboard campaign repair');
    const kept = await sql(file(), 'SELECT value FROM keyv WHERE key = ?', docKey('campaigns-month-2026-11'));
    expect(kept).toEqual([{ value: brokenMonth }]);
    expect((await updates(h)).length).toBe(1);

    const denied = await h.command('campaign repair', { user: 'U_MARKETER' });
    expect(visibleText(denied.ack.json)).toContain('Only the app admins');

    const repaired = visibleText(await (await h.command('campaign repair')).reply());
    expect(repaired).toContain('Removed 2 damaged campaign records');
    expect(repaired).toContain('`campaigns-page-0`');
    expect(repaired).toContain('`campaigns-month-2026-11`');
    expect(await health()).toMatchObject({ status: 'ok', damaged_records: 0 });
    expect(visibleText(await (await h.command('full 7d')).reply())).not.toContain('Damaged');

    // The month was folded again from the page left (Email 1,200 on the 24th): the next batch adds to it.
    const after = visibleText(await (await h.command('campaign email sent=5')).reply());
    expect(after).toContain('*Sent*\n1,205');
    expect((await updates(h)).map((u) => u.sent)).toEqual([1200, 5]);
    const again = visibleText(await (await h.command('campaign repair')).reply());
    expect(again).toContain('No damaged campaign records were found');
  });
});
