/** zod schemas for what is read back from the store: a damaged record is an error, never a silent zero. */
import { z } from 'zod';
import type { RunAggregate } from '../domain/aggregate.js';
import type { Company } from '../domain/model.js';
import { CAMPAIGNS, TIERS } from '../domain/model.js';
import { READ_WARNING_CODES } from '../domain/read/warnings.js';
import type { RunMeta } from '../domain/run-meta.js';

const count = z.number().int().nonnegative();
const num = z.number();

const headline = z.object({
  companies: count,
  qualified: count,
  tier_1: count,
  api_total: count,
  api_successful: count,
  api_rt_sum: num,
  credits: num,
});

export const indexEntrySchema = z.object({
  run_id: z.string(),
  started_at: z.string(),
  label: z.string().optional(),
  uploaded_at: z.string(),
  uploaded_by: z.string().optional(),
  source: z.enum(['slack', 'api', 'file']),
  headline,
  /** Absent on runs stored before warnings were kept: they read as runs without warnings. */
  warnings: z.array(z.object({ code: z.enum(READ_WARNING_CODES), message: z.string() })).optional(),
  contact_rows: count.optional(),
  /** Write generation: the aggregate and company keys of this version of the run. */
  gen: z.string(),
  chunks: count,
});
export type IndexEntry = z.infer<typeof indexEntrySchema>;
export const indexSchema = z.array(indexEntrySchema);

// Compile-time check that the stored shape carries every RunMeta field.
const _metaCheck: (e: IndexEntry) => RunMeta = (e) => e;
void _metaCheck;

const group = z.object({
  count,
  scored: count,
  score_sum: num,
  high_scorers: count,
  tier_1: count,
  qualified: count,
});
const tier = z.object({ count, scored: count, score_sum: num, min: num.nullable(), max: num.nullable() });
const endpoint = z.object({
  total: count,
  successful: count,
  failed: count,
  rt_sum: num,
  max_rt: num,
  credits: num,
  rate_limited: count,
  status_codes: z.record(z.string(), count),
});

export const aggregateSchema = z.object({
  v: z.literal(1),
  run_id: z.string(),
  started_at: z.string(),
  label: z.string().optional(),
  companies: count,
  qualified: count,
  scored: count,
  tiers: z.object(
    Object.fromEntries(TIERS.map((t) => [t, tier])) as Record<(typeof TIERS)[number], typeof tier>,
  ),
  scores: z.array(z.tuple([num, count])),
  industries: z.record(z.string(), group),
  sizes: z.record(z.string(), group),
  countries: z.record(z.string(), group),
  campaigns: z.object({ Email: count, LinkedIn: count, Content: count, Unassigned: count }),
  quality: z.object({ count, sum: num }),
  api: z.object({
    source: z.enum(['calls', 'metrics', 'none']),
    total: count,
    successful: count,
    failed: count,
    rt_sum: num,
    credits: num,
    rate_limited: count,
    peak_per_minute: count.nullable(),
    endpoints: z.record(z.string(), endpoint),
  }),
});
const _aggCheck: (a: z.infer<typeof aggregateSchema>) => RunAggregate = (a) => a;
void _aggCheck;

export const companiesSchema = z.array(
  z.object({
    name: z.string(),
    domain: z.string().optional(),
    industry: z.string().optional(),
    employees: num.optional(),
    country: z.string().optional(),
    state: z.string().optional(),
    city: z.string().optional(),
    icp_score: num.optional(),
    tier: z.enum(TIERS),
    campaign: z.enum(CAMPAIGNS).optional(),
  }),
);
const _companyCheck: (c: z.infer<typeof companiesSchema>[number]) => Company = (c) => c;
void _companyCheck;
