/**
 * A delimited text file as a table of cells, each row numbered as a spreadsheet shows it.
 *
 * - The separator is found on the header line: `,` `;` tab or `|`, whichever occurs most outside
 *   quotes (a comma when none does: a one-column file).
 * - Quoting is RFC 4180 / Excel's: a cell that starts with `"` runs to the next lone `"`, `""` is a quote,
 *   and it may hold separators and line breaks. A `"` inside an unquoted cell is kept as written (as
 *   Excel reads it). Line ends may be LF, CRLF or CR.
 * - Rows: the header is row 1 and each record is the next row, wherever its text starts: a record whose
 *   quoted cell spans three lines is still one row, and a blank line is a row (empty in a spreadsheet,
 *   skipped here). `line` is the text line the record starts on.
 *
 * Pure. Throws `upload_invalid` with the row for an unclosed quote, text after a closing quote, or a row
 * whose cell count differs from the header's (naming the separator used).
 */
import { AppError, type FieldProblem } from '../../errors.js';

export type Delimiter = ',' | ';' | '\t' | '|';

export const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'comma (,)',
  ';': 'semicolon (;)',
  '\t': 'tab',
  '|': 'pipe (|)',
};

export interface CsvRow {
  cells: string[];
  /** The row a spreadsheet shows (header = 1). */
  row: number;
  /** The text line the record starts on (1-based). */
  line: number;
}

export interface CsvTable {
  delimiter: Delimiter;
  header: CsvRow;
  /** Data rows, blank ones left out. */
  rows: CsvRow[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The separator of the header line: the candidate seen most often outside quotes. */
export function detectDelimiter(text: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0, '|': 0 } satisfies Record<Delimiter, number>;
  let quoted = false;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) break;
    else if (!quoted) {
      const ch = text[i] as string;
      if (ch in counts) counts[ch as Delimiter]++;
    }
  }
  let best: Delimiter = ',';
  for (const d of [';', '\t', '|'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

function refuse(problems: FieldProblem[]): AppError {
  const count = problems.length;
  return new AppError('upload_invalid', `The run has ${count} ${count === 1 ? 'problem' : 'problems'}.`, {
    problems,
  });
}

/** Reads the whole table. `delimiter` overrides the detection. */
export function readCsvTable(text: string, options: { delimiter?: Delimiter } = {}): CsvTable | undefined {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const sep = delimiter.charCodeAt(0);
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let row = 0;
  let header: CsvRow | undefined;
  const rows: CsvRow[] = [];
  while (i < n) {
    const startLine = line;
    row++;
    const cells: string[] = [];
    // One record.
    for (;;) {
      let cell: string;
      if (text.charCodeAt(i) === QUOTE) {
        let from = i + 1;
        let parts = '';
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            throw refuse([
              {
                where: `row ${row}`,
                field: '',
                message: 'a quoted cell that starts on this row is never closed (a missing ")',
              },
            ]);
          }
          parts += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            parts += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        // Count the line breaks inside the quoted cell.
        for (let k = 0; k < parts.length; k++) {
          const c = parts.charCodeAt(k);
          if (c === LF || (c === CR && parts.charCodeAt(k + 1) !== LF)) line++;
        }
        cell = parts;
        const next = text.charCodeAt(i);
        if (i < n && next !== sep && next !== LF && next !== CR) {
          throw refuse([
            {
              where: `row ${row}`,
              field: '',
              message: `a stray quote: text after the closing quote of a cell (${JSON.stringify(text.slice(i - 1, i + 10))}); quote the whole cell and double any " inside it`,
            },
          ]);
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === sep || c === LF || c === CR) break;
          j++;
        }
        cell = text.slice(i, j);
        i = j;
      }
      cells.push(cell);
      const c = text.charCodeAt(i);
      if (c === sep) {
        i++;
        continue;
      }
      // End of record: a line end or the end of the text.
      if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      else if (c === LF) i++;
      line++;
      break;
    }
    if (cells.every((cell) => cell.trim() === '')) continue;
    const record: CsvRow = { cells, row, line: startLine };
    if (header === undefined) {
      header = record;
      // The header is row 1 even after leading blank lines (as a table starts at its header).
      row = 1;
      record.row = 1;
      continue;
    }
    if (cells.length !== header.cells.length) {
      throw refuse([
        {
          where: `row ${row}`,
          field: '',
          message: `expected ${header.cells.length} cells like the header, got ${cells.length} (cells are separated by ${DELIMITER_NAMES[delimiter]}, as on the header row)`,
        },
      ]);
    }
    rows.push(record);
  }
  return header === undefined ? undefined : { delimiter, header, rows };
}
