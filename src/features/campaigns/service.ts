/** Recording campaign updates the same way for every way in (command, form, HTTP API). */

import { randomUUID } from 'node:crypto';
import { type ChannelPerformance, channelPeriodPerformance } from '../../domain/campaign-metrics.js';
import {
  appendUpdates,
  CAMPAIGNS_DOCUMENT,
  type CampaignCounts,
  type CampaignDocument,
  type CampaignEntry,
  type CampaignUpdate,
  toUpdate,
} from '../../domain/campaigns.js';
import { campaignDocumentSchema } from '../../domain/campaigns-schema.js';
import { DEFAULT_PERIOD, type PeriodInfo, selectPeriod } from '../../domain/period.js';
import { type ResolvedSettings, resolveSettings } from '../../domain/settings.js';
import { formatLocalDate } from '../../domain/time.js';
import type { Store } from '../../store/store.js';

export interface CampaignContext {
  settings: ResolvedSettings;
  timeZone: string;
  /** `YYYY-MM-DD` in the workspace's zone. */
  today: string;
  /** The default dashboard period (last 7 days), whose totals an update's answer shows. */
  period: PeriodInfo;
}

export async function campaignContext(
  store: Store,
  team: string,
  options: { now: Date; defaultTimeZone: string },
): Promise<CampaignContext> {
  const settings = resolveSettings(await store.getSettings(team), { timeZone: options.defaultTimeZone });
  const timeZone = settings.timezone;
  return {
    settings,
    timeZone,
    today: formatLocalDate(options.now, timeZone),
    period: selectPeriod(DEFAULT_PERIOD, [], { now: options.now, timeZone }).period,
  };
}

export interface RecordedUpdate {
  update: CampaignUpdate;
  before: CampaignCounts;
  after: CampaignCounts;
  /** The channel over the default period, after this batch. */
  performance: ChannelPerformance;
}

/** Appends the entries in one write under the document's lock: all of them are kept, or none. */
export async function recordCampaignEntries(options: {
  store: Store;
  team: string;
  entries: ReadonlyArray<CampaignEntry & { date: string }>;
  user: string;
  source: CampaignUpdate['source'];
  now: Date;
  context: CampaignContext;
}): Promise<RecordedUpdate[]> {
  const at = options.now.toISOString();
  const added = options.entries.map((entry) =>
    toUpdate(entry, { id: randomUUID(), user: options.user, at, source: options.source }),
  );
  const { value, result } = await options.store.updateDocument(
    options.team,
    CAMPAIGNS_DOCUMENT,
    campaignDocumentSchema,
    (current) => appendUpdates(current, added),
  );
  return result.map((r) => ({
    ...r,
    performance: channelPeriodPerformance(
      value.updates,
      r.update.channel,
      options.context.period,
      options.context.settings.roi[r.update.channel],
    ),
  }));
}

export async function loadCampaignDocument(
  store: Store,
  team: string,
): Promise<CampaignDocument | undefined> {
  return store.getDocument(team, CAMPAIGNS_DOCUMENT, campaignDocumentSchema);
}
