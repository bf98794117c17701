/** Every id shared between code, Block Kit and manifest.yml. A test checks the manifest against these. */
export const COMMAND = '/apollo-dashboard';

/** Where the HTTP receiver takes Slack's requests (manifest: slash command, interactivity). */
export const SLACK_EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';
export const INGEST_RUNS_PATH = '/api/runs';

/** Bot scopes the app uses, and no more. */
export const BOT_SCOPES = ['commands', 'chat:write', 'files:read'] as const;

export const ACTIONS = {
  runDeleteConfirm: 'run_delete_confirm',
  runDeleteCancel: 'run_delete_cancel',
  uploadFile: 'upload_file_input',
  uploadPaste: 'upload_paste_input',
  uploadRunId: 'upload_run_id_input',
  uploadDate: 'upload_date_input',
  uploadLabel: 'upload_label_input',
} as const;

export const BLOCKS = {
  uploadFile: 'upload_file',
  uploadPaste: 'upload_paste',
  uploadRunId: 'upload_run_id',
  uploadDate: 'upload_date',
  uploadLabel: 'upload_label',
  runDelete: 'run_delete',
} as const;

export const VIEWS = {
  upload: 'upload_run',
} as const;
