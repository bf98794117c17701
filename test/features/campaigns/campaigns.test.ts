import { describe, expect, it } from 'vitest';
import {
  channelPerformance,
  computeCampaignSection,
  computeCampaignTrends,
  computeFunnel,
  defaultRoiByChannel,
  formatRoi,
} from '../../../src/domain/campaign-metrics.js';
import {
  appendUpdates,
  type CampaignUpdate,
  campaignDateRange,
  dayTotals,
  emptyCounts,
  lastUpdateBy,
  parseCount,
  removeUpdate,
  totalsByChannel,
  toUpdate,
} from '../../../src/domain/campaigns.js';
import { parseCommand } from '../../../src/domain/command.js';
import type { Campaign } from '../../../src/domain/model.js';
import { selectPeriod } from '../../../src/domain/period.js';
import {
  parseRoiSettingsChange,
  parseSettingsChange,
  resolveSettings,
  roiAssumptionsOf,
} from '../../../src/domain/settings.js';
import { isAppError } from '../../../src/errors.js';
import { parseCampaignCommand, resolveEntryDate } from '../../../src/features/campaigns/grammar.js';
import {
  campaignUpdatesFromFile,
  parseCampaignPayload,
  validateCampaignForm,
} from '../../../src/features/campaigns/input.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected an error');
}

let seq = 0;
function upd(overrides: Partial<CampaignUpdate> & Pick<CampaignUpdate, 'channel' | 'date'>): CampaignUpdate {
  seq += 1;
  return {
    id: `u${seq}`,
    mode: 'increment',
    user: 'U1',
    at: '2026-11-24T12:00:00.000Z',
    source: 'slack',
    ...overrides,
  };
}

const ALL = { start: null, end: null };
const zeroAssigned: Record<Campaign, number> = { Email: 0, LinkedIn: 0, Content: 0 };

describe('the campaign command grammar', () => {
  it('opens the form with no words and offers undo', () => {
    expect(parseCampaignCommand([])).toEqual({ kind: 'form' });
    expect(parseCampaignCommand(['undo'])).toEqual({ kind: 'undo' });
    expect(parseCampaignCommand(['UNDO'])).toEqual({ kind: 'undo' });
    expect(parseCampaignCommand(['repair'])).toEqual({ kind: 'repair' });
    expect(parseCampaignCommand(['Repair'])).toEqual({ kind: 'repair' });
  });

  it('records an increment with pairs in any order, replied= for responded=, and thousands separators', () => {
    expect(
      parseCampaignCommand([
        'LinkedIn',
        'converted=2',
        'replied=40',
        'sent=1,200',
        'date=2026-11-20',
        'opened=300',
      ]),
    ).toEqual({
      kind: 'record',
      entry: {
        channel: 'LinkedIn',
        mode: 'increment',
        counts: { sent: 1200, opened: 300, responded: 40, converted: 2 },
        date: '2026-11-20',
      },
    });
    expect(parseCampaignCommand(['email', 'sent=5'])).toEqual({
      kind: 'record',
      entry: { channel: 'Email', mode: 'increment', counts: { sent: 5 } },
    });
  });

  it('records a set correction with only the figures named', () => {
    expect(parseCampaignCommand(['content', 'set', 'responded=12', 'date=2026-11-19'])).toEqual({
      kind: 'record',
      entry: { channel: 'Content', mode: 'set', counts: { responded: 12 }, date: '2026-11-19' },
    });
  });

  it.each([
    [
      ['fax', 'sent=1'],
      'bad_command: `fax` is not a campaign channel; use email, linkedin or content (or undo).',
    ],
    [
      ['email', 'clicks=5'],
      'bad_command: Unknown key `clicks=5`; use sent=, opened=, responded= (or replied=), converted= and date=.',
    ],
    [
      ['email', 'sent=1.5'],
      'bad_command: `sent=1.5`: sent must be a whole number from 0 to 1,000,000,000 (thousands separators such as 1,200 are fine).',
    ],
    [
      ['email', 'sent=-3'],
      'bad_command: `sent=-3`: sent must be a whole number from 0 to 1,000,000,000 (thousands separators such as 1,200 are fine).',
    ],
    [
      ['email', 'sent=100', 'replied=1,20'],
      'bad_command: `replied=1,20`: replied must be a whole number from 0 to 1,000,000,000 (thousands separators such as 1,200 are fine).',
    ],
    [
      ['email', 'sent='],
      'bad_command: `sent=`: sent must be a whole number from 0 to 1,000,000,000 (thousands separators such as 1,200 are fine).',
    ],
    [
      ['email', 'opened=5'],
      'bad_command: An update needs sent=N (use `set` to correct other figures of a date alone).',
    ],
    [
      ['email', 'sent=10', 'responded=11'],
      'bad_command: responded=11 is more than sent=10; each of opened, responded and converted is at most sent in one update.',
    ],
    [
      ['email', 'set', 'sent=10', 'opened=20'],
      'bad_command: opened=20 is more than sent=10; each of opened, responded and converted is at most sent in one update.',
    ],
    [
      ['email', 'sent=1', 'date=2026-02-30'],
      'bad_command: `date=2026-02-30`: date must be a real date, YYYY-MM-DD.',
    ],
    [['email', 'sent=1', 'sent=2'], 'bad_command: `sent` is given twice.'],
    [['email', 'sent=1', 'responded=1', 'replied=1'], 'bad_command: `responded` is given twice.'],
    [['email'], 'bad_command: Say what to record, e.g. `campaign email sent=1200 responded=40`.'],
    [
      ['email', 'set'],
      'bad_command: Say which totals to set, e.g. `campaign email set sent=1200 responded=40`.',
    ],
    [
      ['email', 'sent=1', 'set'],
      'bad_command: `set` comes right after the channel: `campaign email set sent=1200`.',
    ],
    [
      ['email', '1200'],
      'bad_command: `1200` is not a `key=value` pair; use sent=, opened=, responded= (or replied=), converted= and date=.',
    ],
    [['undo', 'now'], 'bad_command: Usage: `campaign undo` (it takes nothing else).'],
    [['repair', 'all'], 'bad_command: Usage: `campaign repair` (it takes nothing else).'],
    [
      // The domain keeps the user's words; renderCommandError escapes them once, for Slack.
      ['<!channel>'],
      'bad_command: `<!channel>` is not a campaign channel; use email, linkedin or content (or undo).',
    ],
  ])('rejects %j', (words, message) => {
    expect(errorOf(() => parseCampaignCommand(words))).toBe(message);
  });

  it('parses counts strictly', () => {
    expect(parseCount('0')).toBe(0);
    expect(parseCount('1,234,567')).toBe(1234567);
    expect(parseCount('1200')).toBe(1200);
    expect(parseCount('12,00')).toBeNull();
    expect(parseCount('1e3')).toBeNull();
    expect(parseCount('1000000001')).toBeNull();
    expect(parseCount(' ')).toBeNull();
  });

  it('dates an update today in the workspace zone and refuses a future date', () => {
    const entry = { channel: 'Email' as const, mode: 'increment' as const, counts: { sent: 1 } };
    expect(resolveEntryDate(entry, '2026-11-24', 'Europe/Berlin')).toBe('2026-11-24');
    expect(resolveEntryDate({ ...entry, date: '2026-11-01' }, '2026-11-24', 'Europe/Berlin')).toBe(
      '2026-11-01',
    );
    expect(
      errorOf(() => resolveEntryDate({ ...entry, date: '2026-11-25' }, '2026-11-24', 'Europe/Berlin')),
    ).toBe(
      'bad_command: date=2026-11-25 is in the future (today is 2026-11-24 in Europe/Berlin); record what already happened.',
    );
  });
});

describe('increments, corrections and undo', () => {
  it('adds increments and lets a set replace only the figures it names, with later increments on top', () => {
    const a = upd({
      channel: 'Email',
      date: '2026-11-20',
      sent: 100,
      opened: 40,
      responded: 5,
      converted: 1,
    });
    const b = upd({ channel: 'Email', date: '2026-11-20', sent: 50, opened: 10, responded: 0, converted: 0 });
    const fix = upd({ channel: 'Email', date: '2026-11-20', mode: 'set', sent: 120, responded: 9 });
    const later = upd({
      channel: 'Email',
      date: '2026-11-20',
      sent: 10,
      opened: 0,
      responded: 1,
      converted: 0,
    });
    const other = upd({
      channel: 'Email',
      date: '2026-11-21',
      sent: 7,
      opened: 0,
      responded: 0,
      converted: 0,
    });
    const { value, result } = appendUpdates(undefined, [a, b, fix, later, other]);
    expect(result.map((r) => [r.before, r.after])).toEqual([
      [emptyCounts(), { sent: 100, opened: 40, responded: 5, converted: 1 }],
      [
        { sent: 100, opened: 40, responded: 5, converted: 1 },
        { sent: 150, opened: 50, responded: 5, converted: 1 },
      ],
      [
        { sent: 150, opened: 50, responded: 5, converted: 1 },
        { sent: 120, opened: 50, responded: 9, converted: 1 },
      ],
      [
        { sent: 120, opened: 50, responded: 9, converted: 1 },
        { sent: 130, opened: 50, responded: 10, converted: 1 },
      ],
      [emptyCounts(), { sent: 7, opened: 0, responded: 0, converted: 0 }],
    ]);
    expect(totalsByChannel(value.updates, { from: null, to: null }).Email).toEqual({
      sent: 137,
      opened: 50,
      responded: 10,
      converted: 1,
    });
    // Undoing the correction brings the increments before it back.
    const undone = removeUpdate(value, fix.id, 'U1');
    expect(undone.result.removed).toEqual(fix);
    expect(undone.result.after).toEqual({ sent: 160, opened: 50, responded: 6, converted: 1 });
    expect(undone.value.updates).toHaveLength(4);
  });

  it('only undoes the caller’s own updates, and says so when one is gone', () => {
    const mine = upd({ channel: 'Email', date: '2026-11-20', sent: 1, user: 'U1' });
    const theirs = upd({ channel: 'Email', date: '2026-11-20', sent: 2, user: 'U2' });
    const doc = { v: 1 as const, updates: [mine, theirs] };
    expect(lastUpdateBy(doc, 'U1')).toEqual(mine);
    expect(lastUpdateBy(doc, 'U3')).toBeNull();
    expect(removeUpdate(doc, theirs.id, 'U1').result).toEqual({ removed: null, after: null });
    expect(removeUpdate(doc, 'nope', 'U1').value.updates).toEqual([mine, theirs]);
  });

  it('stores increments with all four figures and sets with only the named ones', () => {
    const meta = { id: 'x', user: 'U1', at: '2026-11-24T00:00:00.000Z', source: 'slack' as const };
    expect(
      toUpdate({ channel: 'Email', mode: 'increment', counts: { sent: 3 }, date: '2026-11-20' }, meta),
    ).toEqual({
      ...meta,
      channel: 'Email',
      mode: 'increment',
      date: '2026-11-20',
      sent: 3,
      opened: 0,
      responded: 0,
      converted: 0,
    });
    expect(
      toUpdate({ channel: 'Email', mode: 'set', counts: { opened: 3 }, date: '2026-11-20' }, meta),
    ).toEqual({
      ...meta,
      channel: 'Email',
      mode: 'set',
      date: '2026-11-20',
      opened: 3,
    });
    expect(dayTotals([], 'Email', '2026-11-20')).toEqual(emptyCounts());
  });
});

describe('the dates a period covers', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const selection = (spec: Parameters<typeof selectPeriod>[0], runs = []) =>
    selectPeriod(spec, runs, { now, timeZone: 'Europe/Berlin' });

  it('covers the 7 dates up to today for 7d, and the 7 before for the previous period', () => {
    const s = selection({ kind: 'rolling', days: 7 });
    const opts = { timeZone: 'Europe/Berlin', key: s.period.key };
    expect(campaignDateRange(s.period, opts)).toEqual({ from: '2026-11-18', to: null });
    expect(campaignDateRange(s.previous ?? ALL, opts)).toEqual({ from: '2026-11-11', to: '2026-11-18' });
  });

  it('covers exactly the days of a date range in the workspace zone', () => {
    const s = selection({ kind: 'range', from: '2026-11-01', to: '2026-11-15' });
    const opts = { timeZone: 'Europe/Berlin', key: s.period.key };
    expect(campaignDateRange(s.period, opts)).toEqual({ from: '2026-11-01', to: '2026-11-16' });
    // The previous period is the 15 whole local days before, across the DST change.
    expect(campaignDateRange(s.previous ?? ALL, opts)).toEqual({ from: '2026-10-17', to: '2026-11-01' });
  });

  it('covers the latest run’s own date onward for last, and everything for all', () => {
    const period = { start: '2026-11-23T09:00:00.000Z', end: null };
    expect(campaignDateRange(period, { timeZone: 'Europe/Berlin', key: 'last' })).toEqual({
      from: '2026-11-23',
      to: null,
    });
    expect(campaignDateRange(ALL, { timeZone: 'UTC', key: 'all' })).toEqual({ from: null, to: null });
  });
});

describe('ROI and the campaign section', () => {
  it('computes the seed’s ROI with the seed’s defaults', () => {
    const p = channelPerformance(
      'Email',
      { sent: 1000, opened: 400, responded: 50, converted: 2 },
      defaultRoiByChannel().Email,
      30,
    );
    expect(p).toEqual({
      channel: 'Email',
      status: 'active',
      assigned: 30,
      sent: 1000,
      opened: 400,
      responded: 50,
      converted: 2,
      open_rate: 0.4,
      response_rate: 0.05,
      conversion_rate: 0.002,
      cost_per_contact: 0.5,
      revenue_per_conversion: 10000,
      cost: 500,
      revenue: 20000,
      roi: 3900,
      warnings: [],
    });
    expect(formatRoi(3900)).toBe('3,900%');
    expect(formatRoi(-20)).toBe('−20.0%');
    expect(formatRoi(null)).toBe('n/a');
  });

  it('uses per-channel assumptions and shows a channel with nothing sent as such, never as 0 % ROI', () => {
    const roi = {
      ...defaultRoiByChannel(),
      LinkedIn: { cost_per_contact: 2, revenue_per_conversion: 12000 },
    };
    const section = computeCampaignSection({
      totals: {
        Email: { sent: 1000, opened: 300, responded: 40, converted: 1 },
        LinkedIn: { sent: 500, opened: 0, responded: 30, converted: 1 },
        Content: emptyCounts(),
      },
      assigned: { Email: 10, LinkedIn: 5, Content: 0 },
      roi,
      updates: 3,
    });
    expect(section.campaign_comparison.Email.roi).toBe(1900);
    expect(section.campaign_comparison.LinkedIn).toMatchObject({ cost: 1000, revenue: 12000, roi: 1100 });
    expect(section.campaign_comparison.Content).toMatchObject({
      status: 'nothing_sent',
      sent: 0,
      open_rate: null,
      response_rate: null,
      conversion_rate: null,
      cost: 0,
      revenue: 0,
      roi: null,
    });
    expect(section.best_performing_campaign).toBe('Email');
    expect(section.totals).toEqual({
      sent: 1500,
      opened: 300,
      responded: 70,
      converted: 2,
      cost: 1500,
      revenue: 22000,
    });
    expect(section.response_rate).toBe(0.046667);
    expect(section.conversion_rate).toBe(0.001333);
    expect(section.roi).toBe(1366.6667);
  });

  it('names no best campaign when nothing was sent anywhere', () => {
    const section = computeCampaignSection({
      totals: { Email: emptyCounts(), LinkedIn: emptyCounts(), Content: emptyCounts() },
      assigned: zeroAssigned,
      roi: defaultRoiByChannel(),
      updates: 0,
    });
    expect(section.best_performing_campaign).toBeNull();
    expect(section.roi).toBeNull();
    expect(section.recommended_actions).toEqual([]);
    expect(section.warnings).toEqual([]);
  });

  it('warns about totals that do not add up instead of hiding them', () => {
    const section = computeCampaignSection({
      totals: {
        Email: { sent: 10, opened: 4, responded: 50, converted: 0 },
        LinkedIn: { sent: 0, opened: 0, responded: 3, converted: 0 },
        Content: emptyCounts(),
      },
      assigned: zeroAssigned,
      roi: defaultRoiByChannel(),
      updates: 2,
    });
    expect(section.campaign_comparison.Email.response_rate).toBe(5);
    expect(section.warnings).toEqual([
      'Email: 50 responded but only 10 sent in this period; check the updates (`campaign email set …` corrects a date).',
      'LinkedIn: 3 responded but only 0 sent in this period; check the updates (`campaign linkedin set …` corrects a date).',
    ]);
  });

  it('recommends from the figures: low response, too little volume, money to the best ROI, losses, unsent assignments', () => {
    const section = computeCampaignSection({
      totals: {
        Email: { sent: 2000, opened: 800, responded: 100, converted: 4 },
        LinkedIn: { sent: 1000, opened: 0, responded: 10, converted: 0 },
        Content: { sent: 40, opened: 20, responded: 6, converted: 1 },
      },
      assigned: { Email: 0, LinkedIn: 0, Content: 0 },
      roi: defaultRoiByChannel(),
      updates: 3,
    });
    expect(section.recommended_actions.map((r) => [r.channel, r.metric, r.message])).toEqual([
      [
        'LinkedIn',
        'response_rate',
        "Rework LinkedIn targeting and messaging: its response rate is 1.0% (10 of 1,000 sent), less than half of the other channels' 5.0% (Email).",
      ],
      [
        'Content',
        'sent',
        'Keep Content running before judging it: 1 converted of only 40 sent (ROI 49,900%); its rates mean little below 100 sends.',
      ],
      [
        'Email',
        'roi_gap',
        'Move budget from LinkedIn to Email: ROI −100% (0.00 revenue on 500.00 cost) against 3,900% (40,000.00 on 1,000.00).',
      ],
      [
        'LinkedIn',
        'roi',
        'LinkedIn loses money: 500.00 spent on 1,000 contacts brought 0.00 (0 converted), ROI −100%.',
      ],
    ]);
    const unsent = computeCampaignSection({
      totals: { Email: emptyCounts(), LinkedIn: emptyCounts(), Content: emptyCounts() },
      assigned: { Email: 0, LinkedIn: 12, Content: 0 },
      roi: defaultRoiByChannel(),
      updates: 0,
    });
    expect(unsent.recommended_actions.map((r) => r.message)).toEqual([
      '12 companies were assigned to LinkedIn but no sends were recorded in this period; record them with `campaign linkedin sent=N`.',
    ]);
  });

  it('measures campaign trends against the previous period, with direction', () => {
    const section = (email: [number, number, number]) =>
      computeCampaignSection({
        totals: {
          Email: { sent: email[0], opened: 0, responded: email[1], converted: email[2] },
          LinkedIn: emptyCounts(),
          Content: emptyCounts(),
        },
        assigned: zeroAssigned,
        roi: defaultRoiByChannel(),
        updates: 1,
      });
    const trends = computeCampaignTrends(section([1000, 50, 2]), section([1000, 30, 2]));
    expect(trends).toEqual({
      campaign_response_rate: { current: 0.05, previous: 0.03, change: 0.02, direction: 'Increasing' },
      campaign_conversion_rate: { current: 0.002, previous: 0.002, change: 0, direction: 'Stable' },
      campaign_roi: { current: 3900, previous: 3900, change: 0, direction: 'Stable' },
    });
    const down = computeCampaignTrends(section([1000, 50, 1]), section([1000, 50, 2]));
    expect(down.campaign_roi).toEqual({
      current: 1900,
      previous: 3900,
      change: -2000,
      direction: 'Decreasing',
    });
    expect(computeCampaignTrends(section([1000, 50, 1]), null).campaign_roi.direction).toBe(
      'Insufficient data',
    );
    expect(computeCampaignTrends(section([1000, 50, 1]), section([0, 0, 0])).campaign_response_rate).toEqual({
      current: 0.05,
      previous: null,
      change: null,
      direction: 'Insufficient data',
    });
  });
});

describe('the funnel', () => {
  it('runs from discovery to conversion with the rate between steps and the cost of accounts', () => {
    const funnel = computeFunnel({
      discovered: 1000,
      qualified: 200,
      assigned: 150,
      tier1: 40,
      credits: 500,
      creditCost: 0.2,
      campaigns: { sent: 300, opened: 100, responded: 30, converted: 3 },
    });
    expect(funnel.steps.map((s) => [s.step, s.count, s.rate_from_previous])).toEqual([
      ['discovered', 1000, null],
      ['qualified', 200, 0.2],
      ['assigned', 150, 0.75],
      ['contacted', 300, 2],
      ['responded', 30, 0.1],
      ['converted', 3, 0.1],
    ]);
    expect(funnel.steps[3]?.note).toContain('More contacts than assigned companies');
    expect(funnel.steps.filter((s) => s.note !== null)).toHaveLength(1);
    expect(funnel).toMatchObject({
      overall_rate: 0.003,
      credits_used: 500,
      credit_cost: 0.2,
      cost_per_qualified_account: { credits: 2.5, money: 0.5 },
      credits_per_tier_1_account: 12.5,
      cost_per_tier_1_account: 2.5,
    });
  });

  it('shows credits only without a credit cost, and n/a where a step is empty', () => {
    const funnel = computeFunnel({
      discovered: 0,
      qualified: 0,
      assigned: 0,
      tier1: 0,
      credits: 0,
      creditCost: null,
      campaigns: emptyCounts(),
    });
    expect(funnel.steps.map((s) => s.rate_from_previous)).toEqual([null, null, null, null, null, null]);
    expect(funnel).toMatchObject({
      overall_rate: null,
      cost_per_qualified_account: { credits: null, money: null },
      credits_per_tier_1_account: null,
      cost_per_tier_1_account: null,
    });
  });
});

describe('the form and the API input', () => {
  it('reports each bad field of the form inline', () => {
    expect(
      validateCampaignForm(
        { channel: null, sent: '10', opened: '2.5', responded: '11', converted: '', date: '2026-11-25' },
        '2026-11-24',
      ),
    ).toEqual({
      ok: false,
      errors: {
        channel: 'Pick Email, LinkedIn or Content.',
        opened: 'Enter a whole number from 0 to 1,000,000,000.',
        // The form's words (its labels), not the command's `responded=11` syntax.
        responded: "Responded (11) can't be more than Sent (10).",
        date: 'That is in the future; today is 2026-11-24.',
      },
    });
    expect(validateCampaignForm({ channel: 'email', sent: null }, '2026-11-24')).toEqual({
      ok: false,
      errors: { sent: 'How many were sent? Enter 0 if none.' },
    });
    expect(validateCampaignForm({ channel: 'content', sent: '1,200', converted: '3' }, '2026-11-24')).toEqual(
      {
        ok: true,
        entry: {
          channel: 'Content',
          mode: 'increment',
          counts: { sent: 1200, converted: 3 },
          date: '2026-11-24',
        },
      },
    );
  });

  it('takes one update or a list from tools, and names every problem', () => {
    const opts = { today: '2026-11-24', timeZone: 'UTC' };
    expect(parseCampaignPayload({ channel: 'email', sent: 10, replied: '2' }, opts)).toEqual([
      { channel: 'Email', mode: 'increment', counts: { sent: 10, responded: 2 }, date: '2026-11-24' },
    ]);
    expect(
      parseCampaignPayload([{ channel: 'LinkedIn', mode: 'set', converted: 1, date: '2026-11-02' }], opts),
    ).toEqual([{ channel: 'LinkedIn', mode: 'set', counts: { converted: 1 }, date: '2026-11-02' }]);
    let problems: unknown;
    try {
      parseCampaignPayload(
        [
          { channel: 'fax', sent: 1 },
          { channel: 'email', sent: 1.5, clicks: 3 },
          { channel: 'email', sent: 5, responded: 6, date: '2026-12-01' },
          'nope',
        ],
        opts,
      );
    } catch (error) {
      if (isAppError(error, 'upload_invalid')) problems = error.problems;
    }
    expect(problems).toEqual([
      { where: 'updates[0]', field: 'channel', message: 'Required: email, linkedin or content.' },
      {
        where: 'updates[1]',
        field: 'clicks',
        message:
          'Unknown field; use channel, sent, opened, responded (or replied), converted, date and mode.',
      },
      {
        where: 'updates[1]',
        field: 'sent',
        message:
          'sent must be a whole number from 0 to 1,000,000,000 (thousands separators such as 1,200 are fine).',
      },
      {
        where: 'updates[2]',
        field: 'date',
        message: '2026-12-01 is in the future (today is 2026-11-24 in UTC).',
      },
      {
        where: 'updates[2]',
        field: 'responded',
        message:
          'responded=6 is more than sent=5; each of opened, responded and converted is at most sent in one update.',
      },
      {
        where: 'updates[3]',
        field: '',
        message: 'Each update is an object such as {"channel": "email", "sent": 1200}.',
      },
    ]);
    expect(errorOf(() => parseCampaignPayload([], opts))).toBe(
      'upload_invalid: 1 problem in the campaign updates.',
    );
  });

  it('reads a --campaigns file into dated updates', () => {
    const updates = campaignUpdatesFromFile(
      { name: 'c.json', text: JSON.stringify([{ channel: 'email', sent: 3 }]) },
      { now: new Date('2026-11-24T23:30:00Z'), timeZone: 'Europe/Berlin' },
    );
    expect(updates).toEqual([
      {
        id: 'file-1',
        channel: 'Email',
        date: '2026-11-25',
        mode: 'increment',
        sent: 3,
        opened: 0,
        responded: 0,
        converted: 0,
        user: 'cli',
        at: '2026-11-24T23:30:00.000Z',
        source: 'file',
      },
    ]);
    expect(
      errorOf(() =>
        campaignUpdatesFromFile({ name: 'c.json', text: '{' }, { now: new Date(), timeZone: 'UTC' }),
      ),
    ).toBe('upload_invalid: c.json: not JSON; give a list of campaign updates.');
  });
});

describe('ROI settings', () => {
  it('parses `settings roi` for the workspace, for a channel, and resets', () => {
    expect(parseCommand('settings roi cost_per_contact=0.8 revenue_per_conversion=12,000')).toEqual({
      kind: 'settings-set',
      change: { cost_per_contact: 0.8, revenue_per_conversion: 12000 },
    });
    expect(parseCommand('settings roi cost_per_contact=2 channel=LinkedIn')).toEqual({
      kind: 'settings-set',
      change: { 'cost_per_contact.linkedin': 2 },
    });
    expect(parseCommand('settings roi reset channel=email')).toEqual({
      kind: 'settings-set',
      change: { 'cost_per_contact.email': null, 'revenue_per_conversion.email': null },
    });
    expect(parseSettingsChange(['credit_cost=0.05'])).toEqual({ credit_cost: 0.05 });
    expect(errorOf(() => parseRoiSettingsChange(['cost_per_contact=0']))).toBe(
      'bad_command: `cost_per_contact=0`: cost_per_contact must be a number above 0, such as 0.8.',
    );
    expect(errorOf(() => parseRoiSettingsChange(['revenue_per_conversion=lots']))).toBe(
      'bad_command: `revenue_per_conversion=lots`: revenue_per_conversion must be a number, 0 or more, such as 12000.',
    );
    expect(errorOf(() => parseRoiSettingsChange(['channel=fax', 'cost_per_contact=1']))).toBe(
      'bad_command: `channel=fax`: channel must be email, linkedin or content.',
    );
    expect(errorOf(() => parseRoiSettingsChange(['channel=email']))).toContain('Say what to set');
    expect(errorOf(() => parseRoiSettingsChange(['reset', 'cost_per_contact=1']))).toContain(
      'Either reset or set',
    );
    expect(errorOf(() => parseRoiSettingsChange(['margin=3']))).toContain('Unknown ROI setting `margin=3`');
  });

  it('resolves each channel’s assumptions: its own, else the workspace’s, else the seed’s', () => {
    const by = (value: number) => ({ value, set_by: 'U1', set_at: '2026-11-20T10:00:00.000Z' });
    const settings = resolveSettings(
      { cost_per_contact: by(0.8), 'revenue_per_conversion.linkedin': by(12000), credit_cost: by(0.05) },
      { timeZone: 'UTC' },
    );
    expect(roiAssumptionsOf(settings)).toEqual({
      Email: { cost_per_contact: 0.8, revenue_per_conversion: 10000 },
      LinkedIn: { cost_per_contact: 0.8, revenue_per_conversion: 12000 },
      Content: { cost_per_contact: 0.8, revenue_per_conversion: 10000 },
    });
    expect(settings.roi.LinkedIn.sources).toEqual({
      cost_per_contact: { kind: 'set', set_by: 'U1', set_at: '2026-11-20T10:00:00.000Z', scope: 'workspace' },
      revenue_per_conversion: {
        kind: 'set',
        set_by: 'U1',
        set_at: '2026-11-20T10:00:00.000Z',
        scope: 'channel',
      },
    });
    expect(settings.roi.Email.sources.revenue_per_conversion).toEqual({
      kind: 'default',
      scope: 'workspace',
    });
    expect(settings.credit_cost).toBe(0.05);
    expect(resolveSettings({}, { timeZone: 'UTC' })).toMatchObject({
      cost_per_contact: 0.5,
      revenue_per_conversion: 10000,
      credit_cost: null,
      sources: { cost_per_contact: { kind: 'default' }, credit_cost: { kind: 'default' } },
    });
  });
});
