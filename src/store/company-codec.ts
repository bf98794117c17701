/**
 * How a chunk of companies is stored: in columns, with the few-valued text fields (industry, place,
 * tier, campaign) as indexes into a per-chunk dictionary. The JSON is about a third of the JSON of
 * the company objects, so an ingest of 100,000 companies spends far less time serialising and
 * writing; decoding gives back exactly the companies stored (absent fields stay absent).
 */
import { z } from 'zod';
import { CAMPAIGNS, type Company, TIERS } from '../domain/model.js';

/** `values[codes[i]]`, or absent where the code is -1. */
interface Coded<T extends string = string> {
  values: T[];
  codes: number[];
}

export interface CompanyChunk {
  v: 2;
  name: string[];
  domain: Array<string | null>;
  industry: Coded;
  employees: Array<number | null>;
  country: Coded;
  state: Coded;
  city: Coded;
  icp_score: Array<number | null>;
  tier: Coded<Company['tier']>;
  campaign: Coded<NonNullable<Company['campaign']>>;
}

const CODED_FIELDS = ['industry', 'country', 'state', 'city', 'tier', 'campaign'] as const;

function encoder<T extends string>() {
  const index = new Map<T, number>();
  const coded: Coded<T> = { values: [], codes: [] };
  return {
    coded,
    add(value: T | undefined): void {
      if (value === undefined) {
        coded.codes.push(-1);
        return;
      }
      let code = index.get(value);
      if (code === undefined) {
        code = coded.values.length;
        index.set(value, code);
        coded.values.push(value);
      }
      coded.codes.push(code);
    },
  };
}

export function encodeCompanies(companies: readonly Company[]): CompanyChunk {
  const name: string[] = [];
  const domain: Array<string | null> = [];
  const employees: Array<number | null> = [];
  const score: Array<number | null> = [];
  const industry = encoder<string>();
  const country = encoder<string>();
  const state = encoder<string>();
  const city = encoder<string>();
  const tier = encoder<Company['tier']>();
  const campaign = encoder<NonNullable<Company['campaign']>>();
  for (const c of companies) {
    name.push(c.name);
    domain.push(c.domain ?? null);
    industry.add(c.industry);
    employees.push(c.employees ?? null);
    country.add(c.country);
    state.add(c.state);
    city.add(c.city);
    score.push(c.icp_score ?? null);
    tier.add(c.tier);
    campaign.add(c.campaign);
  }
  return {
    v: 2,
    name,
    domain,
    industry: industry.coded,
    employees,
    country: country.coded,
    state: state.coded,
    city: city.coded,
    icp_score: score,
    tier: tier.coded,
    campaign: campaign.coded,
  };
}

/** The companies of a chunk, with their fields in the order ingest writes them. */
export function decodeCompanies(chunk: CompanyChunk): Company[] {
  const out: Company[] = [];
  const at = (coded: Coded, i: number): string | undefined => coded.values[coded.codes[i] as number];
  for (let i = 0; i < chunk.name.length; i++) {
    const c = { name: chunk.name[i] } as Company;
    const domain = chunk.domain[i];
    if (domain !== null && domain !== undefined) c.domain = domain;
    const industry = at(chunk.industry, i);
    if (industry !== undefined) c.industry = industry;
    const employees = chunk.employees[i];
    if (employees !== null && employees !== undefined) c.employees = employees;
    const country = at(chunk.country, i);
    if (country !== undefined) c.country = country;
    const state = at(chunk.state, i);
    if (state !== undefined) c.state = state;
    const city = at(chunk.city, i);
    if (city !== undefined) c.city = city;
    const score = chunk.icp_score[i];
    if (score !== null && score !== undefined) c.icp_score = score;
    c.tier = chunk.tier.values[chunk.tier.codes[i] as number] as Company['tier'];
    const campaign = chunk.campaign.values[chunk.campaign.codes[i] as number];
    if (campaign !== undefined) c.campaign = campaign;
    out.push(c);
  }
  return out;
}

const code = z.number().int().min(-1);
const coded = <T extends z.ZodType<string>>(value: T) =>
  z.object({ values: z.array(value), codes: z.array(code) });

/** A stored chunk read back: every column as long as the names, every code inside its dictionary. */
export const companyChunkSchema = z
  .object({
    v: z.literal(2),
    name: z.array(z.string()),
    domain: z.array(z.string().nullable()),
    industry: coded(z.string()),
    employees: z.array(z.number().nullable()),
    country: coded(z.string()),
    state: coded(z.string()),
    city: coded(z.string()),
    icp_score: z.array(z.number().nullable()),
    tier: coded(z.enum(TIERS)),
    campaign: coded(z.enum(CAMPAIGNS)),
  })
  .superRefine((chunk, ctx) => {
    const n = chunk.name.length;
    const plain = [chunk.domain, chunk.employees, chunk.icp_score];
    const codedOk = CODED_FIELDS.every((field) => {
      const { values, codes } = chunk[field];
      return codes.length === n && codes.every((c) => c < values.length && (field !== 'tier' || c >= 0));
    });
    if (!codedOk || plain.some((column) => column.length !== n)) {
      ctx.addIssue({
        code: 'custom',
        message: 'columns of different lengths or codes outside the dictionary',
      });
    }
  });

const _chunkCheck: (c: z.infer<typeof companyChunkSchema>) => CompanyChunk = (c) => c;
void _chunkCheck;
