/** Threshold alerts as incidents: the feature's public face. */

export { ALERTS_HELP } from './grammar.js';
export { type Alerts, createAlerts } from './slack.js';
