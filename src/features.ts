/** The features the app runs with. Each later capability adds itself here. */
import type { Feature } from './feature.js';

export function defaultFeatures(): Feature[] {
  return [];
}
