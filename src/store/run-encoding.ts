/**
 * A run as the store writes it: its aggregate and its companies already turned into the JSON text
 * the store keeps, chunk by chunk. Pure, so a worker thread can do it: the app then receives a few
 * strings (copied in milliseconds) instead of 100,000 company objects to rebuild on its event loop.
 */
import type { RunAggregate } from '../domain/aggregate.js';
import type { Run } from '../domain/model.js';
import type { RunMeta } from '../domain/run-meta.js';
import { encodeAggregate } from './aggregate-codec.js';
import { encodeCompanies } from './company-codec.js';

/** Companies per stored chunk. */
export const COMPANIES_PER_CHUNK = 10_000;

export interface EncodedRun {
  meta: RunMeta;
  /** The aggregate's stored JSON. */
  aggregate: string;
  /** Each chunk's stored JSON, in order. */
  chunks: string[];
}

export function encodeRunAggregate(aggregate: RunAggregate): string {
  return JSON.stringify(encodeAggregate(aggregate));
}

/** Chunk `i` of the run's companies, as stored. */
export function encodeCompanyChunk(run: Pick<Run, 'companies'>, i: number): string {
  return JSON.stringify(
    encodeCompanies(run.companies.slice(i * COMPANIES_PER_CHUNK, (i + 1) * COMPANIES_PER_CHUNK)),
  );
}

export function chunkCount(run: Pick<Run, 'companies'>): number {
  return Math.ceil(run.companies.length / COMPANIES_PER_CHUNK);
}

/** The whole run encoded at once (in a worker; the store encodes chunk by chunk with yields). */
export function encodeRun(record: { run: Run; aggregate: RunAggregate; meta: RunMeta }): EncodedRun {
  const chunks: string[] = [];
  for (let i = 0; i < chunkCount(record.run); i++) chunks.push(encodeCompanyChunk(record.run, i));
  return { meta: record.meta, aggregate: encodeRunAggregate(record.aggregate), chunks };
}
