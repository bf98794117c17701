/**
 * Warnings are data: what a reader noticed about an upload that it still read. They travel with the
 * run (stored in its meta), so every answer, the `runs` list, the dashboard and the exports can show them.
 * `code` is stable (callers branch on it); `message` is for a person.
 */
export const READ_WARNING_CODES = [
  'charset_overridden',
  'encoding_windows_1252',
  'decimal_comma',
  'duplicate_column',
  'people_export',
  'people_rows_disagree',
  'no_scores',
  'scores_scaled',
  'missing_figures',
  'apollo_shape',
] as const;
export type ReadWarningCode = (typeof READ_WARNING_CODES)[number];

export interface ReadWarning {
  code: ReadWarningCode;
  message: string;
}

/** The codes that mean "the qualification rate says nothing about the search": nothing was scored. */
export const UNSCORED_CODES: ReadonlySet<ReadWarningCode> = new Set(['no_scores']);
