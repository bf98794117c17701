/** The App Home tab: the feature's public face. */
export { createHome, type Home } from './slack.js';
export { renderHomeView } from './view.js';
