/** Campaign results (email, LinkedIn, content): the feature's public face. */

export { CAMPAIGN_HELP } from '../../domain/campaigns.js';
export { type Campaigns, createCampaigns } from './slack.js';
