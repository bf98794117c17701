import { describe, expect, it } from 'vitest';
import { renderFailure } from '../../src/blocks/help.js';
import { escapeMrkdwn, LIMITS, message, section, truncate } from '../../src/blocks/kit.js';
import { damagedNote, renderDeleteConfirm, renderRunList, renderSettings } from '../../src/blocks/runs.js';
import {
  describeRun,
  renderUploadErrors,
  renderUploadModal,
  renderUploadResult,
} from '../../src/blocks/upload.js';
import type { RunMeta } from '../../src/domain/run-meta.js';
import { resolveSettings } from '../../src/domain/settings.js';
import { renderCommandError, renderHelp, USAGE_LINES } from '../../src/help.js';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/ids.js';
import { companies, makeCall, makeMeta, makeRun } from '../helpers/factories.js';
import { messageSchema, modalViewSchema } from '../helpers/slack-limits.js';

function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'text' && typeof v === 'string' ? [v] : textsOf(v),
  );
}

function expectValid(schema: typeof messageSchema | typeof modalViewSchema, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.success ? [] : result.error.issues).toEqual([]);
}

/** A stored run: 4 companies, 3 qualified (1 Tier 1), 2 API calls. */
const meta: RunMeta = makeMeta(
  makeRun({
    run_id: 'weekly-47',
    label: 'EU <!channel> & friends',
    companies: companies(4, (i) => ({ tier: (['Tier 1', 'Tier 2', 'Tier 3', 'Unqualified'] as const)[i] })),
    api_calls: [makeCall(), makeCall({ status_code: 500 })],
  }),
);

describe('kit', () => {
  it('escapes the three mrkdwn control characters', () => {
    expect(escapeMrkdwn('<!channel> & <@U123> > x')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt; &gt; x');
  });

  it('truncates with an ellipsis inside the limit', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
    expect(section('x'.repeat(5000)).text?.text).toHaveLength(LIMITS.sectionText);
  });

  it('announces the sections it leaves out', () => {
    const msg = message(
      'fallback',
      Array.from({ length: 80 }, (_, i) => section(`section ${i}`)),
    );
    expect(msg.blocks).toHaveLength(50);
    expect(textsOf(msg.blocks.at(-1))).toEqual(["…31 more sections left out to fit Slack's message limits."]);
    expectValid(messageSchema, msg);
  });
});

describe('help and errors', () => {
  it('lists every subcommand', () => {
    const msg = renderHelp();
    expect(msg.text).toBe(
      'Usage: /apollo-dashboard [period] | full | post | upload | runs | settings | help',
    );
    // Grouped by what people come to do.
    expect(
      textsOf(msg.blocks)
        .filter((t) => /^\*[A-Z][a-z ]+\*\n/.test(t))
        .map((t) => t.split('\n')[0]),
    ).toEqual(['*See the figures*', '*Bring data in*', '*Be told*', '*Settings*']);
    expectValid(messageSchema, msg);
    const all = textsOf(msg.blocks).join('\n');
    for (const word of [
      'post [period]',
      'upload',
      'runs delete <run_id>',
      'settings rate_limit=200',
      'help',
    ]) {
      expect(all).toContain(word);
    }
    for (const line of USAGE_LINES) expect(all).toContain(line);
    expectValid(messageSchema, msg);
  });

  it('shows a command error followed by the usage', () => {
    const msg = renderCommandError("I don't know `show me`.");
    expect(msg.text).toBe("I don't know `show me`. Type /apollo-dashboard help for usage.");
    expect(textsOf(msg.blocks)[0]).toBe(":warning: I don't know `show me`.");
    expect(textsOf(msg.blocks)[1]).toContain('*Usage*\n• `/apollo-dashboard [period]`');
    expectValid(messageSchema, msg);
  });

  it("escapes the user's words quoted back in a command error, once", () => {
    const msg = renderCommandError('`<!channel> & co` is not a campaign channel.');
    expect(textsOf(msg.blocks)[0]).toBe(':warning: `&lt;!channel&gt; &amp; co` is not a campaign channel.');
    expect(JSON.stringify(msg.blocks)).not.toContain('<!channel>');
  });

  it('shows a failure escaped', () => {
    const msg = renderFailure('Could not post the dashboard.', 'Invite me to <#C1|general> & retry.');
    expect(textsOf(msg.blocks)).toEqual([
      ':x: Could not post the dashboard. Invite me to &lt;#C1|general&gt; &amp; retry.',
    ]);
    expectValid(messageSchema, msg);
    expectValid(messageSchema, renderFailure('Something went wrong.'));
  });
});

describe('runs and settings', () => {
  it('names damaged records, each with the command that removes it', () => {
    expect(damagedNote([])).toBeNull();
    expect(damagedNote([{ run_id: 'r<1>', record: 'index entry' }])).toBe(
      ':warning: Damaged and left out: `r&lt;1&gt;` (index entry). Remove with `/apollo-dashboard runs delete <run_id>`.',
    );
    expect(damagedNote([{ run_id: null, record: 'settings' }])).toBe(
      ':warning: Damaged and left out: the workspace settings (the defaults are used meanwhile). Remove with `/apollo-dashboard settings reset` (admins).',
    );
    expect(
      damagedNote([
        { run_id: 'a', record: 'aggregate' },
        { run_id: null, record: 'settings' },
      ]),
    ).toBe(
      ':warning: Damaged and left out: `a` (aggregate), the workspace settings (the defaults are used meanwhile). Remove with `/apollo-dashboard runs delete <run_id>` and `/apollo-dashboard settings reset` (admins).',
    );
    expect(
      damagedNote([
        { run_id: null, record: 'document', document: 'campaigns-page-3' },
        { run_id: null, record: 'document', document: 'campaigns-month-2026-11' },
        { run_id: null, record: 'document', document: 'campaigns-index' },
      ]),
    ).toBe(
      ':warning: Damaged and left out: campaign updates page 3, the campaign totals of 2026-11, the campaign updates index (no campaign update can be read; it is recovered by hand, see the operations guide). Remove with `/apollo-dashboard campaign repair` (admins).',
    );
    expect(damagedNote([{ run_id: null, record: 'document', document: 'campaigns-index' }])).toBe(
      ':warning: Damaged and left out: the campaign updates index (no campaign update can be read; it is recovered by hand, see the operations guide).',
    );
  });

  it('lists runs in local time, labels escaped', () => {
    const msg = renderRunList([meta], 'America/New_York');
    expect(msg.text).toBe('1 runs stored.');
    expect(textsOf(msg.blocks)).toEqual([
      'Recent runs (1)',
      '• `weekly-47` 2026-11-20 04:00 · EU &lt;!channel&gt; &amp; friends · 4 companies · 75.0% qualified · 2 calls',
      'Times in America/New_York. Remove one with `/apollo-dashboard runs delete <run_id>`.',
    ]);
    expectValid(messageSchema, msg);
  });

  it('says when there are no runs', () => {
    const msg = renderRunList([], 'UTC');
    expect(textsOf(msg.blocks)).toEqual(['*No runs yet.* Upload one with `/apollo-dashboard upload`.']);
    expectValid(messageSchema, msg);
  });

  it('keeps a long run list within limits and says how many are not shown', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      makeMeta(
        makeRun({
          run_id: `run-${String(i).padStart(3, '0')}-${'z'.repeat(90)}`,
          label: 'L'.repeat(200),
          started_at: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(),
        }),
      ),
    );
    const msg = renderRunList(many, 'Europe/Berlin');
    expect(textsOf(msg.blocks)).toContain('…and 40 older runs.');
    expectValid(messageSchema, msg);
  });

  it('asks before deleting a run, with danger and cancel buttons', () => {
    const msg = renderDeleteConfirm(meta);
    expect(msg.text).toBe('Delete run weekly-47?');
    expect(msg.blocks[1]).toEqual({
      type: 'actions',
      block_id: BLOCKS.runDelete,
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Delete run', emoji: true },
          action_id: ACTIONS.runDeleteConfirm,
          value: 'weekly-47',
          style: 'danger',
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Cancel', emoji: true },
          action_id: ACTIONS.runDeleteCancel,
          value: 'weekly-47',
        },
      ],
    });
    expectValid(messageSchema, msg);
  });

  it('shows settings with where each value comes from', () => {
    // Only the rate limit and time zone lines are checked: other settings are listed beside them.
    const defaults = renderSettings(resolveSettings({}, { timeZone: 'Europe/Berlin' }));
    expect(defaults.text.startsWith('Settings: rate_limit=100, timezone=Europe/Berlin')).toBe(true);
    const defaultLines = textsOf(defaults.blocks).join('\n');
    expect(defaultLines).toContain('• *rate_limit*: 100 requests/min (default)');
    expect(defaultLines).toContain('• *timezone*: Europe/Berlin (from DEFAULT_TIMEZONE)');
    expectValid(messageSchema, defaults);
    const set = renderSettings(
      resolveSettings(
        { rate_limit: { value: 1200, set_by: 'U42', set_at: '2026-11-20T10:00:00.000Z' } },
        { timeZone: 'America/New_York' },
      ),
    );
    const setLines = textsOf(set.blocks).join('\n');
    expect(setLines).toContain('• *rate_limit*: 1,200 requests/min (set by <@U42> on 2026-11-20 05:00)');
    expect(setLines).toContain('• *timezone*: America/New_York (from DEFAULT_TIMEZONE)');
    expectValid(messageSchema, set);
  });
});

describe('upload', () => {
  it('opens a modal within Slack limits', () => {
    const view = renderUploadModal({ channel_id: 'C123' });
    expectValid(modalViewSchema, view);
    expect(view.callback_id).toBe(VIEWS.upload);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ channel_id: 'C123' });
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual([
      BLOCKS.uploadFile,
      BLOCKS.uploadPaste,
      BLOCKS.uploadDate,
      BLOCKS.uploadScale,
      BLOCKS.uploadRunId,
      BLOCKS.uploadLabel,
    ]);
    // Slack marks both "optional" (either will do); the form says that one of them is required.
    const hints = view.blocks.flatMap((b) =>
      b.type === 'input' && (b.block_id === BLOCKS.uploadFile || b.block_id === BLOCKS.uploadPaste)
        ? [(b as { hint?: { text: string } }).hint?.text]
        : [],
    );
    expect(hints).toEqual([
      'Required unless you paste the run below.',
      'Required unless you attach a file above.',
    ]);
    expect(textsOf(view.blocks)[0]).toContain('*One of the two is required*');
  });

  it('describes a stored run', () => {
    expect(describeRun(meta)).toBe('4 companies, 3 qualified (75.0%), 1 Tier 1, 2 API calls');
    expect(describeRun(makeMeta(makeRun()))).toBe('0 companies, 0 qualified (n/a), 0 Tier 1, 0 API calls');
  });

  it('confirms an upload, escaping the label, and says when it replaced one', () => {
    const fresh = renderUploadResult({ meta, replaced: null, source: 'file upload' });
    expect(fresh.text).toBe('Run weekly-47 stored: 4 companies, 3 qualified (75.0%), 1 Tier 1, 2 API calls.');
    expect(textsOf(fresh.blocks)[0]).toBe(
      ':white_check_mark: *Run `weekly-47` stored* (file upload) · EU &lt;!channel&gt; &amp; friends\n' +
        '4 companies, 3 qualified (75.0%), 1 Tier 1, 2 API calls.',
    );
    expectValid(messageSchema, fresh);
    const again = renderUploadResult({ meta, replaced: meta, source: 'api' });
    expect(again.text).toContain('It replaced the earlier upload.');
    expect(textsOf(again.blocks).join('\n')).toContain('nothing is counted twice');
    expectValid(messageSchema, again);
  });

  it('lists at most eight upload problems, escaped', () => {
    const problems = Array.from({ length: 50 }, (_, i) => ({
      where: `companies[${i}]`,
      field: 'icp_score',
      message: `must be 0..100, got <${'9'.repeat(300)}>`,
    }));
    const msg = renderUploadErrors({ source: 'paste', summary: '50 problems.', problems });
    expect(msg.text).toBe('Upload rejected (paste): 50 problems. Nothing was stored.');
    const lines = textsOf(msg.blocks)[1]?.split('\n') ?? [];
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^• \*companies\[0\], icp_score\*: must be 0\.\.100, got &lt;9+&gt;$/);
    expect(lines[8]).toBe('_…and 42 more problems_');
    expectValid(messageSchema, msg);
    const none = renderUploadErrors({ source: 'api', summary: 'Not JSON.', problems: [] });
    expect(none.blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expectValid(messageSchema, none);
  });
});
