/** The features the app runs with. Each capability adds itself to the list. */
import type { Feature } from './feature.js';
import { createAlertsFeature } from './features/alerts.js';
import { createCampaignsFeature } from './features/campaigns.js';
import { createDigestFeature } from './features/digest.js';
import { createExportsFeature } from './features/exports.js';

export function defaultFeatures(): Feature[] {
  const features: Feature[] = [];
  // The digest reads other features (alerts' incidents) through this list.
  features.push(createDigestFeature(() => features));
  features.push(createExportsFeature());
  features.push(createCampaignsFeature());
  features.push(createAlertsFeature());
  return features;
}
