/**
 * The thresholds a workspace's alert rules set, read from the store for its dashboard. Only the
 * thresholds are read (domain/alert-thresholds.ts): the alerts feature owns and validates the
 * document, and a dashboard never fails over it. Loaded on the first store read, like the campaign
 * documents, so the offline report (no store, the seed's thresholds) loads no zod for it.
 */
import { z } from 'zod';
import { ALERTS_DOCUMENT, thresholdsOfAlertState } from '../domain/alert-thresholds.js';
import type { Thresholds } from '../domain/thresholds.js';
import type { Store } from '../store/store.js';

const anyDocument = z.unknown();

export async function loadAlertThresholds(store: Store, team: string): Promise<Thresholds> {
  return thresholdsOfAlertState(await store.getDocument(team, ALERTS_DOCUMENT, anyDocument));
}
