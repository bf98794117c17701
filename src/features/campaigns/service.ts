/** Recording campaign updates the same way for every way in (command, form, HTTP API). */

import { randomUUID } from 'node:crypto';
import { type ChannelPerformance, channelPerformance } from '../../domain/campaign-metrics.js';
import {
  type CampaignCounts,
  type CampaignEntry,
  type CampaignUpdate,
  campaignDateRange,
  toUpdate,
} from '../../domain/campaigns.js';
import type { Campaign } from '../../domain/model.js';
import { DEFAULT_PERIOD, type PeriodInfo, selectPeriod } from '../../domain/period.js';
import { type ResolvedSettings, resolveSettings } from '../../domain/settings.js';
import { formatLocalDate } from '../../domain/time.js';
import { appendCampaignUpdates } from '../../services/campaign-updates.js';
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

/** Appends the entries in one transaction (campaign-updates.ts): all of them are kept, or none. */
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
  const { period } = options.context;
  const range = campaignDateRange(period, { timeZone: period.time_zone, key: period.key });
  const { result, totals } = await appendCampaignUpdates(options.store, options.team, added, range);
  // Once per channel, from the period's dates: the batch's cost does not grow with the history.
  const performance = new Map<Campaign, ChannelPerformance>();
  const performanceOf = (channel: Campaign): ChannelPerformance => {
    let p = performance.get(channel);
    if (!p) {
      p = channelPerformance(channel, totals[channel], options.context.settings.roi[channel], 0);
      performance.set(channel, p);
    }
    return p;
  };
  return result.map((r) => ({ ...r, performance: performanceOf(r.update.channel) }));
}
