/**
 * The help text, assembled from each grammar's own help line (core, exports, campaigns, alerts,
 * digest), so a new form is documented where it is parsed. Only app.ts and tests import this.
 */

import {
  type HelpGroup,
  renderCommandError as renderCommandErrorWith,
  renderHelpMessage,
} from './blocks/help.js';
import type { SlackMessage } from './blocks/kit.js';
import { CORE_HELP } from './domain/command.js';
import { ALERTS_HELP } from './features/alerts/index.js';
import { CAMPAIGN_HELP } from './features/campaigns/index.js';
import { DIGEST_HELP } from './features/digest/index.js';
import { EXPORT_HELP } from './features/exports/index.js';

export const USAGE_LINES: readonly string[] = [
  CORE_HELP.dashboard,
  CORE_HELP.full,
  CORE_HELP.post,
  CORE_HELP.upload,
  CORE_HELP.runs,
  CORE_HELP.settings,
  EXPORT_HELP,
  CAMPAIGN_HELP,
  CORE_HELP.roi,
  ALERTS_HELP,
  DIGEST_HELP,
  CORE_HELP.help,
];

/** The same lines, grouped by what people come to do. */
export const USAGE_GROUPS: readonly HelpGroup[] = [
  { title: 'See the figures', lines: [CORE_HELP.dashboard, CORE_HELP.full, CORE_HELP.post, EXPORT_HELP] },
  { title: 'Bring data in', lines: [CORE_HELP.upload, CORE_HELP.runs, CAMPAIGN_HELP] },
  { title: 'Be told', lines: [ALERTS_HELP, DIGEST_HELP] },
  { title: 'Settings', lines: [CORE_HELP.settings, CORE_HELP.roi, CORE_HELP.help] },
];

export function renderHelp(): SlackMessage {
  return renderHelpMessage(USAGE_GROUPS);
}

/** An error the user can act on, followed by the usage. */
export function renderCommandError(problem: string): SlackMessage {
  return renderCommandErrorWith(problem, USAGE_LINES);
}
