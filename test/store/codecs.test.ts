/**
 * The stored forms of companies (columns) and aggregates (flat scores and group tables): exact round
 * trips, damage detected, smaller than the plain JSON, and records in the older plain form still read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateRun } from '../../bench/data.js';
import { aggregateRun } from '../../src/domain/aggregate.js';
import type { Company } from '../../src/domain/model.js';
import { buildRunRecord } from '../../src/services/ingest.js';
import { decodeAggregate, encodeAggregate, readStoredAggregate } from '../../src/store/aggregate-codec.js';
import { companyChunkSchema, decodeCompanies, encodeCompanies } from '../../src/store/company-codec.js';
import { createKeyvStore } from '../../src/store/keyv-store.js';

const sample = (companies: number, seed = 1) =>
  generateRun({
    seed,
    runId: `run-${seed}`,
    startedAt: '2026-11-23T09:00:00.000Z',
    companies,
    calls: 200,
    scoreDecimals: 1,
  });

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
  it('round-trip exactly through the stored form', () => {
    const aggregate = aggregateRun(sample(3000));
    const stored = JSON.parse(JSON.stringify(encodeAggregate(aggregate)));
    expect(stored.v).toBe(2);
    expect(readStoredAggregate(stored)).toEqual(aggregate);
    expect(decodeAggregate(encodeAggregate(aggregate))).toEqual(aggregate);
  });

  it('keep a run without scores, groups or label', () => {
    const aggregate = aggregateRun({
      run_id: 'empty',
      started_at: '2026-11-23T00:00:00.000Z',
      companies: [],
      api_calls: [],
      quality_scores: [],
    });
    expect(readStoredAggregate(JSON.parse(JSON.stringify(encodeAggregate(aggregate))))).toEqual(aggregate);
  });

  it('read the plain (v1) form as it was written', () => {
    const aggregate = aggregateRun(sample(300));
    expect(readStoredAggregate(JSON.parse(JSON.stringify(aggregate)))).toEqual(aggregate);
  });

  it('refuse damage: unsorted or repeated scores, fractional counts, short group tables', () => {
    const good = JSON.parse(JSON.stringify(encodeAggregate(aggregateRun(sample(300)))));
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
});

describe('the store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apollo-codecs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function sql(
    file: string,
    text: string,
    ...params: unknown[]
  ): Promise<Array<Record<string, string>>> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(d)));
    });
    try {
      return await new Promise((resolve, reject) => {
        db.all(text, params, (error, rows) =>
          error ? reject(error) : resolve(rows as Array<Record<string, string>>),
        );
      });
    } finally {
      await new Promise<void>((resolve) => db.close(() => resolve()));
    }
  }

  it('writes the compact forms and still reads records written in the plain form', async () => {
    const file = join(dir, 'store.sqlite');
    const store = await createKeyvStore({ url: `sqlite://${file}` });
    const run = sample(25_000, 9);
    const record = buildRunRecord(run, { source: 'api', now: new Date('2026-11-24T00:00:00Z') });
    await store.saveRun('T1', record);
    await store.close();

    const rows = await sql(file, "SELECT key, value FROM keyv WHERE key LIKE '%:run-9:%' ORDER BY key");
    const aggregateRow = rows.find((r) => r.key?.includes(':agg:'));
    const chunkRows = rows.filter((r) => r.key?.includes(':co:'));
    expect(JSON.parse(aggregateRow?.value ?? '{}').value.v).toBe(2);
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
    const reopened = await createKeyvStore({ url: `sqlite://${file}` });
    expect(await reopened.getAggregates('T1', ['run-9'])).toEqual([record.aggregate]);
    expect(await reopened.getCompanies('T1', 'run-9')).toEqual(run.companies);
    await reopened.close();
  });
});
