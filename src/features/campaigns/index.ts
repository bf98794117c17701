/** Campaign results (email, LinkedIn, content): the feature's public face. */

export { CAMPAIGN_HELP } from './grammar.js';
export { campaignUpdatesFromFile } from './input.js';
export { type Campaigns, createCampaigns } from './slack.js';
