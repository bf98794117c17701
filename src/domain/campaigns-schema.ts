/**
 * The campaign document's zod schema, for reading it from a store. Apart from campaigns.ts so that
 * what only computes with campaign updates (the dashboard, the offline report) does not load zod.
 */
import { z } from 'zod';
import { type CampaignDocument, type CampaignUpdate, MAX_COUNT } from './campaigns.js';
import { CAMPAIGNS } from './model.js';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const countSchema = z.number().int().min(0).max(MAX_COUNT);

export const campaignUpdateSchema: z.ZodType<CampaignUpdate> = z.object({
  id: z.string().min(1),
  channel: z.enum(CAMPAIGNS),
  date: z.string().regex(DATE_RE),
  mode: z.enum(['increment', 'set']),
  sent: countSchema.optional(),
  opened: countSchema.optional(),
  responded: countSchema.optional(),
  converted: countSchema.optional(),
  user: z.string(),
  at: z.string(),
  source: z.enum(['slack', 'api', 'file']),
});

export const campaignDocumentSchema: z.ZodType<CampaignDocument> = z.object({
  v: z.literal(1),
  updates: z.array(campaignUpdateSchema),
});
