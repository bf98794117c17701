/**
 * Warnings are data: what a reader noticed about an upload that it still read. They travel with the
 * run (stored in its meta), so every answer, the `runs` list, the dashboard and the exports can show them.
 * `code` is stable (callers branch on it); `message` is for a person.
 */
export type ReadWarningCode =
  | 'charset_overridden'
  | 'encoding_windows_1252'
  | 'delimiter'
  | 'decimal_comma'
  | 'duplicate_column'
  | 'people_export'
  | 'people_rows_disagree'
  | 'no_scores'
  | 'no_tiers'
  | 'scores_scaled'
  | 'missing_figures'
  | 'null_text'
  | 'apollo_shape';

export interface ReadWarning {
  code: ReadWarningCode;
  message: string;
}

/** The codes that mean "the qualification rate says nothing about the search": nothing was scored. */
export const UNSCORED_CODES: ReadonlySet<ReadWarningCode> = new Set(['no_scores']);
