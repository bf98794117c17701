/**
 * CSV cells for spreadsheets: RFC 4180 quoting (CRLF line ends, a field holding a comma, a quote,
 * CR or LF is quoted and its quotes doubled) and formula neutralising. A cell that begins with
 * `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so a company called
 * `=HYPERLINK("…")` is shown as text and never run. A plain number (`-0.25`, `12`, `1e-7`) is
 * left as it is even when negative: a spreadsheet reads it as a number, and nothing else can
 * start it.
 */

export type CsvValue = string | number | boolean | null | undefined;

const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The text of a cell as a spreadsheet must see it: formula triggers defused. */
export function neutralizeCell(text: string): string {
  if (PLAIN_NUMBER.test(text)) return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function textOf(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return String(value);
}

/** One field, neutralised and quoted as RFC 4180 asks. */
export function csvCell(value: CsvValue): string {
  const text = neutralizeCell(textOf(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ending with CRLF. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
