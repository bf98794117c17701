/**
 * The stored settings' zod schema, for the stores. Apart from settings.ts so that what only reads
 * settings (the dashboard, the offline report) does not load zod.
 */
import { z } from 'zod';
import type { SettingEntry, StoredSettings } from './settings.js';

export const settingEntrySchema: z.ZodType<SettingEntry> = z.object({
  value: z.union([z.string(), z.number()]),
  set_by: z.string(),
  set_at: z.string(),
});

export const storedSettingsSchema: z.ZodType<StoredSettings> = z.record(z.string(), settingEntrySchema);
