// biome-ignore-all lint/suspicious/noExplicitAny: recorded Slack payloads are arbitrary JSON
/**
 * `/apollo-dashboard export …` the way Slack uses it: the instant answer, then the three calls of
 * Slack's upload flow against the fake Web API, the bytes uploaded (the same bytes the offline
 * report writes for the same runs and time), the comment, and the failures that post nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import { COMPANIES_CSV_HEADER } from '../../../src/features/exports/companies-csv.js';
import { describeUploadFailure } from '../../../src/features/exports/slack.js';
import { type Harness, startHarness, visibleText } from '../../helpers/app-harness.js';
import { assertAllSurfaces, assertResponseBody } from '../../helpers/slack-limits.js';
import { EXPORT_NOW, exportRuns, HOSTILE } from './fixtures.js';

const UPLOAD_METHODS = ['files.getUploadURLExternal', 'files.completeUploadExternal'];

describe('/apollo-dashboard export', () => {
  let h: Harness;
  let dir: string;
  let runFiles: string[];

  beforeAll(async () => {
    h = await startHarness({ now: () => EXPORT_NOW });
    dir = await mkdtemp(join(tmpdir(), 'apollo-exports-'));
    runFiles = [];
    for (const run of exportRuns()) {
      const text = JSON.stringify(run);
      const stored = await h.ingest(text);
      expect(stored.status).toBe(201);
      const path = join(dir, `${run.run_id}.json`);
      await writeFile(path, text);
      runFiles.push(path);
    }
  });
  afterAll(async () => {
    await h.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    h.fake.reset();
  });

  /** What the offline report writes for the same runs and generation time. */
  async function offline(format: string, extra: string[] = []): Promise<Buffer> {
    const out = join(dir, `offline-${format}-${extra.join('-')}`);
    let stderr = '';
    const code = await runCli(
      ['report', '--format', format, '--now', EXPORT_NOW.toISOString(), '--out', out, ...extra, ...runFiles],
      { stdout: () => undefined, stderr: (s) => (stderr += s) },
    );
    expect(code, stderr).toBe(0);
    return readFile(out);
  }

  /** Runs the command and waits for the file to be shared; returns the three recorded steps. */
  async function exportVia(text: string) {
    const { ack } = await h.command(text);
    expect(ack.status).toBe(200);
    const complete = await h.fake.waitFor((c) => c.method === 'files.completeUploadExternal');
    const [getUrl] = h.fake.callsOf('files.getUploadURLExternal');
    const [upload] = h.fake.uploads;
    if (!getUrl || !upload) throw new Error('the upload flow was not followed');
    assertAllSurfaces(h.fake.calls);
    return { ack, getUrl, upload, complete };
  }

  const CASES: Array<{ format: string; command: string; cli: string[]; filename: string }> = [
    { format: 'json', command: 'export json', cli: [], filename: 'apollo-dashboard_7d_2026-11-24.json' },
    {
      format: 'csv',
      command: 'export csv 30d',
      cli: ['--period', '30d'],
      filename: 'apollo-dashboard_30d_2026-11-24.csv',
    },
    {
      format: 'html',
      command: 'export html all',
      cli: ['--period', 'all'],
      filename: 'apollo-dashboard_all_2026-11-24.html',
    },
    {
      format: 'companies',
      command: 'export companies all tier=qualified',
      cli: ['--period', 'all', '--tier', 'qualified'],
      filename: 'apollo-companies_all_tier-qualified_2026-11-24.csv',
    },
  ];
  for (const { format, command, cli, filename } of CASES) {
    it(`posts the ${format} export through the three upload calls, byte for byte the offline report`, async () => {
      const { ack, getUrl, upload, complete } = await exportVia(command);

      expect(ack.json.response_type).toBe('ephemeral');
      expect(ack.json.text).toContain('is on its way; it will be posted in this channel.');
      assertResponseBody(ack.json);

      const expected = await offline(format, cli);
      expect(Buffer.compare(upload.bytes, expected)).toBe(0);
      expect(getUrl.args.filename).toBe(filename);
      expect(Number(getUrl.args.length)).toBe(expected.length);
      expect(complete.args.channel_id).toBe('C_GENERAL');
      expect(complete.args.files).toEqual([{ id: upload.fileId, title: filename }]);
      expect(complete.args.initial_comment).toMatch(
        /^:page_facing_up: Apollo export: .+ · (Last 7 days|Last 30 days|All runs) · \d+ runs? · generated 2026-11-24 12:00 UTC$/,
      );
      // Calls in order: URL, bytes, completion; nothing else posted.
      expect(h.fake.calls.map((c) => c.method).filter((m) => m !== 'auth.test')).toEqual(UPLOAD_METHODS);
    });
  }

  it('says what the companies file holds, and its hostile names stay inert', async () => {
    const { upload, complete } = await exportVia('export companies all tier=1');
    expect(complete.args.initial_comment).toBe(
      ':page_facing_up: Apollo export: 3 Tier 1 companies · All runs · 3 runs · generated 2026-11-24 12:00 UTC',
    );
    const text = upload.bytes.toString('utf8');
    expect(text.startsWith(`${COMPANIES_CSV_HEADER.join(',')}\r\n`)).toBe(true);
    expect(text).toContain(`"'${HOSTILE.hyperlink.replaceAll('"', '""')}"`);
    expect(text).toContain(`"${HOSTILE.script.replaceAll('"', '""')}"`);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(4);
  });

  it('answers before a slow upload finishes', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.fake.on('files.getUploadURLExternal', async () => {
      await gate;
      return undefined;
    });
    const { ack } = await h.command('export html all');
    expect(ack.status).toBe(200);
    expect(ack.json.text).toContain('Your HTML report for all runs is on its way');
    await h.fake.waitFor((c) => c.method === 'files.getUploadURLExternal');
    expect(h.fake.callsOf('files.completeUploadExternal')).toHaveLength(0);
    release();
    await h.fake.waitFor((c) => c.method === 'files.completeUploadExternal');
    expect(h.fake.uploads).toHaveLength(1);
  });

  it('tells the caller to invite the bot when it is not in the channel, and posts nothing', async () => {
    h.fake.on('files.completeUploadExternal', () => ({ ok: false, error: 'not_in_channel' }));
    const { ack, reply } = await h.command('export csv', { channel: 'C_ELSEWHERE' });
    expect(ack.json.text).toContain('on its way');
    const body = await reply();
    assertResponseBody(body);
    expect(body.response_type).toBe('ephemeral');
    const text = visibleText(body);
    expect(text).toContain('Could not post the export.');
    expect(text).toContain('/invite @Apollo Dashboard');
    expect(h.fake.callsOf('files.completeUploadExternal')[0]?.args.channel_id).toBe('C_ELSEWHERE');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('reports a refused upload clearly and never completes it', async () => {
    h.fake.on('files.getUploadURLExternal', () => ({ ok: false, error: 'file_uploads_disabled' }));
    const { reply } = await h.command('export json');
    const body = await reply();
    assertResponseBody(body);
    expect(body.response_type).toBe('ephemeral');
    expect(visibleText(body)).toContain(
      'Slack refused the file (`file_uploads_disabled`). Nothing was posted.',
    );
    expect(h.fake.uploads).toHaveLength(0);
    expect(h.fake.callsOf('files.completeUploadExternal')).toHaveLength(0);
  });

  it('explains an upload that failed without a Slack error code', () => {
    expect(describeUploadFailure(new Error('socket hang up'))).toBe(
      'The upload to Slack did not go through. Nothing was posted; try again in a moment.',
    );
  });

  it('posts nothing for a period without runs and says why', async () => {
    const { ack, reply } = await h.command('export html', { team: 'T_EMPTY' });
    expect(ack.json.text).toContain('on its way');
    const body = await reply();
    assertResponseBody(body);
    expect(visibleText(body)).toContain('There are no runs in Last 7 days, so nothing was posted.');
    expect(h.fake.calls.filter((c) => UPLOAD_METHODS.includes(c.method))).toHaveLength(0);
  });

  it('answers a mistyped export at once with the problem and the usage, and uploads nothing', async () => {
    for (const [text, problem] of [
      ['export', 'Say which export'],
      ['export pdf', '`pdf` is not an export format'],
      ['export csv tier=1', '`tier=` filters the `companies` export only'],
      ['export json fortnight', '`fortnight` is not a period'],
    ] as const) {
      const { ack } = await h.command(text);
      assertResponseBody(ack.json);
      expect(ack.json.response_type).toBe('ephemeral');
      const shown = visibleText(ack.json);
      expect(shown).toContain(problem);
      expect(shown).toContain('export json|csv|html|companies [period] [tier=1|2|3|qualified]');
    }
    expect(h.fake.calls.filter((c) => UPLOAD_METHODS.includes(c.method))).toHaveLength(0);
    expect(h.fake.responses).toHaveLength(0);
  });
});
