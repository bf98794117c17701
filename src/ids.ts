/** Every id shared between code, Block Kit and manifest.yml. A test checks the manifest against these. */
export const COMMAND = '/apollo-dashboard';

/** Where the HTTP receiver takes Slack's requests (manifest: slash command, interactivity). */
export const SLACK_EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';
/** Distributed mode: where an install starts, and where Slack sends the browser back (Bolt's defaults). */
export const INSTALL_PATH = '/slack/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';
export const INGEST_RUNS_PATH = '/api/runs';
export const INGEST_CAMPAIGNS_PATH = '/api/campaigns';

/** Bot scopes the app uses, and no more. */
/** `channels:history`/`groups:history`: a post whose answer was lost is looked up by its marker, not re-sent. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'files:read',
  'files:write',
  'channels:history',
  'groups:history',
] as const;

/** Events the app subscribes to (manifest: settings.event_subscriptions.bot_events). */
export const BOT_EVENTS = ['app_home_opened', 'app_uninstalled', 'tokens_revoked'] as const;

export const ACTIONS = {
  runDeleteConfirm: 'run_delete_confirm',
  runDeleteCancel: 'run_delete_cancel',
  digestOpenDashboard: 'digest_open_dashboard',
  dashboardDetail: 'dashboard_open_detail',
  dashboardTier1Csv: 'dashboard_tier1_csv',
  dashboardAlerts: 'dashboard_open_alerts',
  homePeriod: 'home_period_select',
  homeTier: 'home_tier_select',
  alertAcknowledge: 'alert_acknowledge',
  alertMute: 'alert_mute_24h',
  alertOpenDashboard: 'alert_open_dashboard',
  uploadFile: 'upload_file_input',
  uploadPaste: 'upload_paste_input',
  uploadRunId: 'upload_run_id_input',
  uploadDate: 'upload_date_input',
  uploadLabel: 'upload_label_input',
  uploadScale: 'upload_scale_input',
  campaignUndoConfirm: 'campaign_undo_confirm',
  campaignUndoCancel: 'campaign_undo_cancel',
  campaignChannel: 'campaign_channel_input',
  campaignSent: 'campaign_sent_input',
  campaignOpened: 'campaign_opened_input',
  campaignResponded: 'campaign_responded_input',
  campaignConverted: 'campaign_converted_input',
  campaignDate: 'campaign_date_input',
} as const;

export const BLOCKS = {
  uploadFile: 'upload_file',
  uploadPaste: 'upload_paste',
  uploadRunId: 'upload_run_id',
  uploadDate: 'upload_date',
  uploadLabel: 'upload_label',
  uploadScale: 'upload_scale',
  runDelete: 'run_delete',
  alertActions: 'alert_actions',
  dashboardButtons: 'dashboard_buttons',
  homeFilters: 'home_filters',
  campaignUndo: 'campaign_undo',
  campaignChannel: 'campaign_channel',
  campaignSent: 'campaign_sent',
  campaignOpened: 'campaign_opened',
  campaignResponded: 'campaign_responded',
  campaignConverted: 'campaign_converted',
  campaignDate: 'campaign_date',
} as const;

export const VIEWS = {
  upload: 'upload_run',
  campaign: 'campaign_update',
} as const;
