/** What each person chose on their Home tab (period, tier), so a refresh after a run keeps it. */
import { z } from 'zod';
import { HOME_PERIODS, HOME_TIERS, type HomePeriod, type HomeTier } from './view.js';

export const HOME_DOC = 'home';
/** People whose Home tab is refreshed after a run: the most recent openers. */
export const HOME_REFRESH_LIMIT = 20;

export const homeStateSchema = z.object({
  v: z.literal(1),
  users: z.record(
    z.string(),
    z.object({ period: z.enum(HOME_PERIODS), tier: z.enum(HOME_TIERS), opened_at: z.string() }),
  ),
});
export type HomeState = z.infer<typeof homeStateSchema>;

export interface HomeChoice {
  period: HomePeriod;
  tier: HomeTier;
}

export const DEFAULT_HOME_CHOICE: HomeChoice = { period: '7d', tier: 'all' };

/** Records a person's choice (or just that they opened the tab), keeping the most recent openers. */
export function rememberChoice(
  state: HomeState | undefined,
  user: string,
  change: Partial<HomeChoice>,
  at: string,
): { state: HomeState; choice: HomeChoice } {
  const users = { ...(state?.users ?? {}) };
  const choice: HomeChoice = { ...DEFAULT_HOME_CHOICE, ...users[user], ...change };
  users[user] = { period: choice.period, tier: choice.tier, opened_at: at };
  const kept = Object.entries(users)
    .sort((a, b) => b[1].opened_at.localeCompare(a[1].opened_at))
    .slice(0, HOME_REFRESH_LIMIT);
  return { state: { v: 1, users: Object.fromEntries(kept) }, choice };
}

export function isHomePeriod(value: string | undefined): value is HomePeriod {
  return (HOME_PERIODS as readonly string[]).includes(value ?? '');
}

export function isHomeTier(value: string | undefined): value is HomeTier {
  return (HOME_TIERS as readonly string[]).includes(value ?? '');
}
