/**
 * The offline report's reading (parse-run/lazy.ts) against the one reading path (readUpload): for
 * every fixture and for runs the fast path does not take or refuses, the same reading or the same
 * error, and a valid JSON run read without the schema module (zod) being loaded on the way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARSE_LIMITS, readUpload, type UploadInput } from '../../../src/domain/parse-run/index.js';
import { readUploadLazily } from '../../../src/domain/parse-run/lazy.js';
import { isAppError } from '../../../src/errors.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const enc = (text: string) => new TextEncoder().encode(text);

type Outcome = { reading: unknown } | { code: string; message: string; problems: unknown; unlisted: unknown };

function outcomeOf(read: () => unknown): Outcome {
  try {
    return { reading: read() };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, message: error.message, problems: error.problems, unlisted: error.unlisted };
  }
}

async function lazyOutcomeOf(input: UploadInput, limits = DEFAULT_PARSE_LIMITS): Promise<Outcome> {
  try {
    return { reading: await readUploadLazily(input, limits) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, message: error.message, problems: error.problems, unlisted: error.unlisted };
  }
}

const company = { name: 'Acme', domain: 'acme.com', icp_score: 91, tier: 'Tier 1' };
const run = (extra: Record<string, unknown>) =>
  JSON.stringify({ run_id: 'r1', started_at: '2026-11-02T09:30:00Z', companies: [company], ...extra });

const CASES: Array<[string, UploadInput]> = [
  ['a canonical run', { bytes: enc(run({})), filename: 'run.json' }],
  [
    'a run with calls, metrics and quality scores',
    {
      bytes: enc(
        run({
          api_calls: [
            { timestamp: '2026-11-02T09:30:00+02:00', endpoint: '/x', response_time: 0.5, status_code: 200 },
          ],
          api_metrics: {
            total_calls: 1,
            success_rate: 1,
            avg_response_time: 0.5,
            credits_used: 1,
            error_rate: 0,
          },
          quality_scores: [90, 80],
        }),
      ),
      filename: 'run.json',
    },
  ],
  [
    'metrics whose rates do not add up (refused)',
    {
      bytes: enc(
        run({
          api_metrics: {
            total_calls: 5,
            success_rate: 0.5,
            avg_response_time: 1,
            credits_used: 1,
            error_rate: 0.1,
          },
        }),
      ),
      filename: 'run.json',
    },
  ],
  [
    'an invalid score (refused by the schema)',
    { bytes: enc(run({ companies: [{ name: 'A', icp_score: 'high' }] })), filename: 'run.json' },
  ],
  [
    'a date the fast path leaves to the schema',
    { bytes: enc(run({ started_at: '2026-11-02 09:30' })), filename: 'run.json' },
  ],
  ['no started_at', { bytes: enc(JSON.stringify({ companies: [company] })), filename: 'run.json' }],
  ['not JSON', { bytes: enc('{"companies": [}'), filename: 'run.json' }],
  [
    'a stated score scale',
    {
      bytes: enc(run({ score_scale: '0-1', companies: [{ name: 'A', icp_score: 0.9 }] })),
      filename: 'run.json',
    },
  ],
  [
    'keys in another case',
    { bytes: enc(run({ companies: [{ Name: 'A', ICP_Score: 70 }] })), filename: 'run.json' },
  ],
  [
    'a CSV file',
    { bytes: enc('Company Name,ICP Score\nAcme,91\n'), filename: 'run.csv', started_at: '2026-11-02' },
  ],
  [
    'UTF-8 with a byte-order mark',
    { bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...enc(run({}))]), filename: 'run.json' },
  ],
];

const fixtureCases: Array<[string, UploadInput]> = [
  ...readdirSync(`${FIXTURES}apollo`)
    .filter((name) => /\.(json|csv|txt)$/.test(name))
    .map((name): [string, UploadInput] => [
      `fixture apollo/${name}`,
      { bytes: readFileSync(`${FIXTURES}apollo/${name}`), filename: name, default_started_at: '2026-11-02' },
    ]),
  ...['run-apollo-aliases.json', 'run-canonical.json', 'run-apollo-export.csv', 'run-bad-score.csv'].map(
    (name): [string, UploadInput] => [
      `fixture ${name}`,
      { bytes: readFileSync(FIXTURES + name), filename: name, started_at: '2026-11-02' },
    ],
  ),
];

describe('the offline report reads an upload as readUpload does', () => {
  it.each([...CASES, ...fixtureCases])('%s', async (_name, input) => {
    const expected = outcomeOf(() => readUpload(input, DEFAULT_PARSE_LIMITS));
    expect(await lazyOutcomeOf(input)).toEqual(expected);
  });

  it('refuses a run over the company limit the same way', async () => {
    const input = { bytes: enc(run({ companies: [company, company, company] })), filename: 'run.json' };
    const limits = { ...DEFAULT_PARSE_LIMITS, maxCompanies: 2 };
    const expected = outcomeOf(() => readUpload(input, limits));
    expect(expected).toMatchObject({ code: 'upload_too_large' });
    expect(await lazyOutcomeOf(input, limits)).toEqual(expected);
  });

  it('reads a valid JSON run with the fast path, and hands a CSV file to readUpload', async () => {
    const valid = await readUploadLazily({ bytes: enc(run({})), filename: 'run.json' }, DEFAULT_PARSE_LIMITS);
    expect(valid.run.companies).toEqual([
      { name: 'Acme', domain: 'acme.com', icp_score: 91, tier: 'Tier 1' },
    ]);
    const csv = await readUploadLazily(
      { bytes: enc('Company Name,ICP Score\nAcme,91\n'), filename: 'run.csv', started_at: '2026-11-02' },
      DEFAULT_PARSE_LIMITS,
    );
    expect(csv.format).toBe('csv');
    expect(csv.run.companies).toEqual([{ name: 'Acme', icp_score: 91, tier: 'Unqualified' }]);
  });
});
