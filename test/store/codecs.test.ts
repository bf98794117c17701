/**
 * The stored forms of companies (columns) and aggregates (encoded score sets and group tables): exact
 * round trips, damage detected, smaller than the plain JSON, and records in the older forms (v2 flat
 * scores, v1 plain JSON) still read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateRun } from '../../bench/data.js';
import { aggregateRun, mergeRunAggregates, type RunAggregate } from '../../src/domain/aggregate.js';
import { computeDashboard } from '../../src/domain/dashboard.js';
import type { Company, Run } from '../../src/domain/model.js';
import { medianOfScoreSets } from '../../src/domain/score-set.js';
import { isAppError } from '../../src/errors.js';
import { buildRunRecord } from '../../src/services/ingest.js';
import { decodeAggregate, encodeAggregate, readStoredAggregate } from '../../src/store/aggregate-codec.js';
import { companyChunkSchema, decodeCompanies, encodeCompanies } from '../../src/store/company-codec.js';
import { decodeScoreColumns } from '../../src/store/score-codec.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { sql as rawSql } from '../helpers/sqlite-file.js';

const sample = (companies: number, seed = 1, scoreDecimals = 1) =>
  generateRun({
    seed,
    runId: `run-${seed}`,
    startedAt: '2026-11-23T09:00:00.000Z',
    companies,
    calls: 200,
    scoreDecimals,
  });

/** An aggregate through JSON, as the store writes and reads it. */
const throughJson = (value: unknown) => JSON.parse(JSON.stringify(value));

/** The aggregate in the v2 form (flat scores), as the previous version wrote it. */
function storedV2(aggregate: RunAggregate) {
  return { ...throughJson(encodeAggregate(aggregate)), v: 2, scores: aggregate.scores.flat() };
}

/** A run whose companies have exactly these scores. */
function runWithScores(scores: readonly number[], runId = 'scores'): Run {
  return {
    run_id: runId,
    started_at: '2026-11-23T09:00:00.000Z',
    companies: scores.map((icp_score, i) => ({ name: `c${i}`, icp_score, tier: 'Unqualified' as const })),
    api_calls: [],
    quality_scores: [],
  };
}

describe('company chunks', () => {
  it('round-trip exactly, absent fields staying absent and fields in ingest order', () => {
    const companies: Company[] = [
      { name: 'Only a name', tier: 'Unqualified' },
      {
        name: 'Everything <&>',
        domain: 'a.com',
        industry: 'Software',
        employees: 0,
        country: 'Germany',
        state: 'Berlin',
        city: 'Berlin',
        icp_score: 0,
        tier: 'Tier 1',
        campaign: 'LinkedIn',
      },
      { name: 'Score 89.95', icp_score: 89.95, tier: 'Tier 2', industry: 'Software', campaign: 'Email' },
      ...sample(500).companies,
    ];
    const stored = JSON.parse(JSON.stringify(encodeCompanies(companies)));
    const decoded = decodeCompanies(companyChunkSchema.parse(stored));
    expect(decoded).toEqual(companies);
    const order = [
      'name',
      'domain',
      'industry',
      'employees',
      'country',
      'state',
      'city',
      'icp_score',
      'tier',
      'campaign',
    ];
    expect(decoded.map((c) => Object.keys(c))).toEqual(companies.map((c) => order.filter((k) => k in c)));
  });

  it('are much smaller than the company objects', () => {
    const { companies } = sample(10_000);
    const plain = JSON.stringify(companies).length;
    expect(JSON.stringify(encodeCompanies(companies)).length).toBeLessThan(plain * 0.4);
  });

  it('refuse damage: columns of different lengths, codes outside the dictionary, unknown tiers', () => {
    const good = JSON.parse(JSON.stringify(encodeCompanies(sample(20).companies)));
    expect(companyChunkSchema.safeParse(good).success).toBe(true);
    const damaged = [
      { ...good, domain: good.domain.slice(1) },
      { ...good, industry: { ...good.industry, codes: good.industry.codes.map(() => 99) } },
      { ...good, tier: { values: ['Tier 9'], codes: good.tier.codes.map(() => 0) } },
      { ...good, tier: { ...good.tier, codes: good.tier.codes.map(() => -1) } },
      { ...good, icp_score: good.icp_score.map(() => 'high') },
      { ...good, v: 3 },
    ];
    for (const chunk of damaged) expect(companyChunkSchema.safeParse(chunk).success).toBe(false);
  });
});

describe('aggregates', () => {
  it.each([0, 1, 2, 6])('round-trip exactly through the stored form (%i decimals)', (decimals) => {
    const aggregate = aggregateRun(sample(3000, 1, decimals));
    const stored = throughJson(encodeAggregate(aggregate));
    expect(stored.v).toBe(3);
    expect(stored.scores.decimals).toBeLessThanOrEqual(decimals);
    expect(readStoredAggregate(stored)).toEqual(aggregate);
    expect(decodeAggregate(encodeAggregate(aggregate))).toEqual(aggregate);
  });

  it('round-trip scores that are not short decimals, negative, -0 and huge, bit for bit', () => {
    const cases = [
      [0.1 + 0.2, 1 / 3, Math.PI, 99.99999999999999],
      [-5, -0.5, 0, 7.25],
      [-0, 1],
      [1e300, -1e300, 5e-324],
      [4503599627370495, 12.5],
      [0],
    ];
    for (const scores of cases) {
      const aggregate = aggregateRun(runWithScores([...scores, ...scores, scores[0] as number]));
      // Not through JSON, which writes every -0 (a tier's min here) as 0; the score data keeps it.
      const read = decodeAggregate(encodeAggregate(aggregate));
      expect(read).toEqual(aggregate);
      expect(read.scores.map(([s]) => Object.is(s, -0))).toEqual(
        aggregate.scores.map(([s]) => Object.is(s, -0)),
      );
      if (!scores.some((x) => Object.is(x, -0))) {
        expect(readStoredAggregate(throughJson(encodeAggregate(aggregate)))).toEqual(aggregate);
      }
    }
    const noise = throughJson(encodeAggregate(aggregateRun(runWithScores([0.1 + 0.2]))));
    expect(noise.scores.decimals).toBeNull();
    expect(throughJson(encodeAggregate(aggregateRun(runWithScores([88.5, 90])))).scores.decimals).toBe(1);
  });

  it('read scores with a long bin table (every bin, huge counts) and a median in any bin', () => {
    // 200 scores in each of the 102 bins, each seen about 2^35 times: a table of over 1,200 bytes.
    const pairs = Array.from({ length: 102 * 200 }, (_, i): [number, number] => [
      ((Math.floor(i / 200) - 1) * 1000 + (i % 200)) / 1000,
      2 ** 35 + i,
    ]);
    const base = aggregateRun(runWithScores([]));
    const aggregate: RunAggregate = { ...base, scores: pairs, scored: pairs.reduce((n, [, c]) => n + c, 0) };
    const stored = throughJson(encodeAggregate(aggregate));
    expect(stored.scores.decimals).toBe(3);
    const read = readStoredAggregate(stored) as RunAggregate;
    const { scoreSets } = mergeRunAggregates([read]);
    const { scoreSets: expected } = mergeRunAggregates([aggregate]);
    for (const n of [1, 2 ** 35 * 3001, aggregate.scored - 1, aggregate.scored]) {
      expect(medianOfScoreSets(scoreSets, n)).toBe(medianOfScoreSets(expected, n));
    }
    expect(readStoredAggregate(stored)).toEqual(aggregate);
  });

  it('keep the score summary beside the encoded scores', () => {
    const stored = throughJson(encodeAggregate(aggregateRun(runWithScores([89.5, 89.5, 90, 49.9, 100]))));
    expect(stored.scores).toMatchObject({
      n: 4,
      count: 5,
      sum: 49.9 + 89.5 * 2 + 90 + 100,
      min: 49.9,
      max: 100,
      buckets: { '90-100': 2, '80-89': 2, '70-79': 0, '60-69': 0, '50-59': 0, '0-49': 1 },
      decimals: 1,
    });
  });

  it('keep a run without scores, groups or label', () => {
    const aggregate = aggregateRun({
      run_id: 'empty',
      started_at: '2026-11-23T00:00:00.000Z',
      companies: [],
      api_calls: [],
      quality_scores: [],
    });
    const stored = throughJson(encodeAggregate(aggregate));
    expect(stored.scores).toMatchObject({ n: 0, count: 0, min: null, max: null });
    expect(readStoredAggregate(stored)).toEqual(aggregate);
  });

  it('are much smaller than the flat (v2) form with full-precision scores', () => {
    const aggregate = aggregateRun(sample(5000, 3, 6));
    const v3 = JSON.stringify(encodeAggregate(aggregate)).length;
    expect(v3).toBeLessThan(JSON.stringify(storedV2(aggregate)).length * 0.6);
  });

  it('read the plain (v1) form as it was written', () => {
    const aggregate = aggregateRun(sample(300));
    expect(readStoredAggregate(throughJson(aggregate))).toEqual(aggregate);
  });

  it('read the flat (v2) form as it was written', () => {
    for (const decimals of [1, 6]) {
      const aggregate = aggregateRun(sample(800, 4, decimals));
      expect(readStoredAggregate(storedV2(aggregate))).toEqual(aggregate);
    }
  });

  it('give the same dashboard from every stored form as from the computed aggregates', () => {
    const runs = [1, 2, 3, 4, 5, 6].map((seed) =>
      generateRun({
        seed: 40 + seed,
        runId: `r${seed}`,
        startedAt: new Date(Date.UTC(2026, 9, seed)).toISOString(),
        companies: 400,
        calls: 30,
        scoreDecimals: seed % 2 ? 6 : 1,
      }),
    );
    const computed = runs.map(aggregateRun);
    const forms = [
      (a: RunAggregate) => readStoredAggregate(throughJson(encodeAggregate(a))),
      (a: RunAggregate) => readStoredAggregate(storedV2(a)),
      (a: RunAggregate) => readStoredAggregate(throughJson(a)),
    ];
    const dashboard = (current: RunAggregate[]) =>
      computeDashboard({
        period: { key: 'all', label: 'All runs', start: null, end: null, time_zone: 'UTC' },
        current,
        previous: null,
        history: [],
        settings: { rate_limit: 100 },
        generatedAt: new Date('2026-11-24T00:00:00Z'),
      });
    const expected = dashboard(computed);
    for (const form of forms) {
      const read = computed.map((a) => form(a) as RunAggregate);
      expect(dashboard(read)).toEqual(expected);
      // Mixed forms too (a store upgraded part-way through the year).
      expect(dashboard(read.map((a, i) => (i % 2 ? a : (computed[i] as RunAggregate))))).toEqual(expected);
    }
  });

  it('refuse damage in the flat (v2) form: unsorted or repeated scores, fractional counts, short group tables', () => {
    const good = storedV2(aggregateRun(sample(300)));
    const [s0, n0, s1, n1, ...rest] = good.scores;
    const damaged = [
      { ...good, scores: [s1, n1, s0, n0, ...rest] },
      { ...good, scores: [s0, n0, s0, n0, ...rest] },
      { ...good, scores: [s0, 1.5, s1, n1, ...rest] },
      { ...good, scores: [s0] },
      { ...good, industries: { ...good.industries, stats: good.industries.stats.slice(1) } },
      { ...good, countries: { names: good.countries.names, stats: good.countries.stats.map(() => -1) } },
      { ...good, sizes: { names: [1], stats: [1, 1, 1, 1, 1, 1] } },
      { ...good, companies: -1 },
      { v: 2, run_id: 'x' },
    ];
    for (const value of damaged) expect(readStoredAggregate(value)).toBeUndefined();
  });

  it('refuse a damaged score summary when read', () => {
    const good = throughJson(encodeAggregate(aggregateRun(sample(300))));
    const damaged = [
      { ...good, scores: { ...good.scores, count: good.scores.count + 1 } },
      { ...good, scores: { ...good.scores, min: null } },
      { ...good, scores: { ...good.scores, min: good.scores.max + 1 } },
      { ...good, scores: { ...good.scores, n: -1 } },
      { ...good, scores: { ...good.scores, sum: 'high' } },
      { ...good, scores: { ...good.scores, decimals: 13 } },
      { ...good, scores: { ...good.scores, buckets: { ...good.scores.buckets, '0-49': -1 } } },
      { ...good, scores: { ...good.scores, data: 7 } },
      { ...good, scores: good.scores.data },
      { ...good, industries: { ...good.industries, stats: good.industries.stats.slice(1) } },
      { v: 3, run_id: 'x' },
    ];
    for (const value of damaged) expect(readStoredAggregate(value)).toBeUndefined();
  });

  it('refuse damaged score data when the scores are decoded, as a store error', () => {
    const aggregate = aggregateRun(sample(300));
    const good = throughJson(encodeAggregate(aggregate));
    const bytes = Buffer.from(good.scores.data, 'base64');
    const unterminated = Buffer.from(bytes);
    // The last count's varint made to go on past the end.
    unterminated[bytes.length - 1] = (bytes[bytes.length - 1] as number) | 128;
    const storeError = (read: () => unknown) => {
      try {
        read();
      } catch (error) {
        return isAppError(error, 'store_unavailable');
      }
      return false;
    };
    const median = (a: RunAggregate) => () => {
      const { scoreSets, totals } = mergeRunAggregates([a]);
      return medianOfScoreSets(scoreSets, totals.scored);
    };
    // The summary of each is sound, so the record reads; the data is checked as it is decoded.
    const inTableOrMiddle = [
      { ...good.scores, data: bytes.subarray(1).toString('base64') },
      { ...good.scores, data: Buffer.concat([bytes, Buffer.from([1])]).toString('base64') },
      { ...good.scores, n: good.scores.n - 1 },
      { ...good.scores, decimals: good.scores.decimals + 1 },
      { ...good.scores, decimals: null },
    ];
    const elsewhere = [
      { ...good.scores, data: unterminated.toString('base64') },
      { ...good.scores, max: good.scores.max - 0.5 },
    ];
    for (const scores of [...inTableOrMiddle, ...elsewhere]) {
      expect(typeof decodeScoreColumns(scores)).toBe('string');
      const read = readStoredAggregate({ ...good, scores }) as RunAggregate;
      expect(read).toBeDefined();
      expect(storeError(() => read.scores)).toBe(true);
      const again = readStoredAggregate({ ...good, scores }) as RunAggregate;
      // The dashboard decodes the bin table and the bins holding the median, and checks them.
      expect(storeError(median(again))).toBe(inTableOrMiddle.includes(scores));
    }
    expect(decodeScoreColumns(good.scores)).toMatchObject({ values: expect.any(Float64Array) });
    expect(median(readStoredAggregate(good) as RunAggregate)()).toBe(median(aggregate)());
  });
});

describe('the store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apollo-codecs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sql = async (file: string, text: string, ...params: unknown[]) =>
    rawSql<Record<string, string>>(file, text, ...params);

  it('writes the compact forms and still reads records written in the plain form', async () => {
    const file = join(dir, 'store.sqlite');
    const store = await createSqliteStore({ url: `sqlite://${file}` });
    const run = sample(25_000, 9);
    const record = buildRunRecord(run, { source: 'api', now: new Date('2026-11-24T00:00:00Z') });
    await store.saveRun('T1', record);
    await store.close();

    const rows = await sql(file, "SELECT key, value FROM keyv WHERE key LIKE '%:run-9:%' ORDER BY key");
    const aggregateRow = rows.find((r) => r.key?.includes(':agg:'));
    const chunkRows = rows.filter((r) => r.key?.includes(':co:'));
    expect(JSON.parse(aggregateRow?.value ?? '{}').value.v).toBe(3);
    expect(chunkRows).toHaveLength(3);
    for (const row of chunkRows) expect(JSON.parse(row.value ?? '{}').value.v).toBe(2);

    // Rewrite every row in the plain form, as an older version stored it.
    await sql(
      file,
      'UPDATE keyv SET value = ? WHERE key = ?',
      JSON.stringify({ value: record.aggregate, expires: null }),
      aggregateRow?.key,
    );
    for (const row of chunkRows) {
      const i = Number(row.key?.split(':').at(-1));
      const plain = run.companies.slice(i * 10_000, (i + 1) * 10_000);
      await sql(
        file,
        'UPDATE keyv SET value = ? WHERE key = ?',
        JSON.stringify({ value: plain, expires: null }),
        row.key,
      );
    }
    const reopened = await createSqliteStore({ url: `sqlite://${file}` });
    expect(await reopened.getAggregates('T1', ['run-9'])).toEqual([record.aggregate]);
    expect(await reopened.getCompanies('T1', 'run-9')).toEqual(run.companies);
    await reopened.close();

    // And in the flat (v2) form of the version before.
    await sql(
      file,
      'UPDATE keyv SET value = ? WHERE key = ?',
      JSON.stringify({ value: storedV2(record.aggregate), expires: null }),
      aggregateRow?.key,
    );
    const again = await createSqliteStore({ url: `sqlite://${file}` });
    expect(await again.getAggregates('T1', ['run-9'])).toEqual([record.aggregate]);
    await again.close();
  });
});
