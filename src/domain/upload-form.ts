/** The upload form's checks: one source (a file or pasted text, not both) and a usable run id. */
import { RUN_ID } from './parse-run/index.js';

export type UploadFormField = 'file' | 'paste' | 'run_id';

/** The first problem with the form, keyed by field for Slack's inline errors; null when it is fine. */
export function validateUploadForm(values: {
  hasFile: boolean;
  pasted: string;
  runId: string | undefined;
}): { field: UploadFormField; message: string } | null {
  if (!values.hasFile && values.pasted === '')
    return { field: 'file', message: 'Attach a run file, or paste one below.' };
  if (values.hasFile && values.pasted !== '')
    return { field: 'paste', message: 'Attach a file or paste, not both.' };
  if (values.runId !== undefined && !RUN_ID.test(values.runId))
    return {
      field: 'run_id',
      message: 'Use up to 100 letters, digits, dots, dashes, colons or underscores.',
    };
  return null;
}
