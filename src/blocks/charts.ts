/**
 * Slack's native charts (`data_visualization`) and tables (`data_table`), within their documented
 * limits, each with a text fallback beside it. @slack/types has DataTableBlock but no chart block
 * yet, so the chart type is declared here (docs.slack.dev, "Data visualization block").
 */
import type { DataTableBlock, RawNumberElement, RawTextElement } from '@slack/types';
import { type ChartSeries, type DataVisualizationBlock, escapeMrkdwn, truncate } from './kit.js';

export type { DataVisualizationBlock } from './kit.js';

export const CHART_LIMITS = {
  title: 50,
  label: 20,
  seriesPerChart: 6,
  pointsPerSeries: 20,
  axisLabel: 50,
  /** Slack allows at most two chart blocks in one message. */
  chartsPerMessage: 2,
  tableRows: 100,
  tableColumns: 20,
  tableChars: 10_000,
  caption: 150,
} as const;

/** User text in a chart or table is escaped like every other text we send (`&`, `<`, `>`), once. */
export function inert(text: string): string {
  return escapeMrkdwn(text);
}

/** Table cells are cut to this many characters; the text sections beside them keep the full names. */
const CELL_TEXT = 60;

/** Labels must be unique and at most 20 characters: cut, and number repeats. */
function labels(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((l) => {
    let label = truncate(l.trim() === '' ? '—' : inert(l), CHART_LIMITS.label);
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    if (n > 0) label = `${truncate(label, CHART_LIMITS.label - 3)} ${n + 1}`;
    return label;
  });
}

/**
 * A bar or line chart of one or more series over the same categories (the last 20 at most).
 * Returns null when there is nothing to draw.
 */
export function seriesChart(options: {
  kind: 'bar' | 'line';
  title: string;
  categories: readonly string[];
  series: ReadonlyArray<{ name: string; values: ReadonlyArray<number | null> }>;
  xLabel?: string;
  yLabel?: string;
}): DataVisualizationBlock | null {
  const from = Math.max(0, options.categories.length - CHART_LIMITS.pointsPerSeries);
  const categories = labels(options.categories.slice(from));
  if (categories.length === 0) return null;
  const names = labels(options.series.slice(0, CHART_LIMITS.seriesPerChart).map((s) => s.name));
  const series: ChartSeries[] = options.series.slice(0, CHART_LIMITS.seriesPerChart).map((s, i) => ({
    name: names[i] ?? s.name,
    // Every series holds one point per category; a missing value is drawn as 0.
    data: categories.map((label, j) => ({ label, value: s.values[from + j] ?? 0 })),
  }));
  const axis: { categories: string[]; x_label?: string; y_label?: string } = { categories };
  if (options.xLabel) axis.x_label = truncate(options.xLabel, CHART_LIMITS.axisLabel);
  if (options.yLabel) axis.y_label = truncate(options.yLabel, CHART_LIMITS.axisLabel);
  return {
    type: 'data_visualization',
    title: truncate(inert(options.title), CHART_LIMITS.title),
    chart: { type: options.kind, series, axis_config: axis },
  };
}

export type TableCell = string | { value: number; text: string };

/**
 * A data table: a header row, then at most 100 rows, every row as long as the header, within
 * 10,000 characters in all (rows past that are left out, and the caption says how many).
 */
export function dataTable(options: {
  caption: string;
  header: readonly string[];
  rows: ReadonlyArray<readonly TableCell[]>;
  pageSize?: number;
}): DataTableBlock | null {
  if (options.rows.length === 0) return null;
  const width = Math.min(options.header.length, CHART_LIMITS.tableColumns);
  const cell = (c: TableCell | undefined): RawTextElement | RawNumberElement =>
    c === undefined
      ? { type: 'raw_text', text: '—' }
      : typeof c === 'string'
        ? { type: 'raw_text', text: c.trim() === '' ? '—' : inert(truncate(c, CELL_TEXT)) }
        : { type: 'raw_number', value: c.value, text: c.text === '' ? '—' : c.text };
  const size = (row: ReadonlyArray<RawTextElement | RawNumberElement>) =>
    row.reduce((n, c) => n + c.text.length, 0);
  const header = options.header.slice(0, width).map((h) => cell(h));
  let used = size(header);
  const rows: Array<Array<RawTextElement | RawNumberElement>> = [];
  for (const raw of options.rows.slice(0, CHART_LIMITS.tableRows)) {
    const row = Array.from({ length: width }, (_, i) => cell(raw[i]));
    if (used + size(row) > CHART_LIMITS.tableChars) break;
    used += size(row);
    rows.push(row);
  }
  if (rows.length === 0) return null;
  const left = options.rows.length - rows.length;
  const caption =
    left > 0 ? `${options.caption} (top ${rows.length}; ${left} more in the export)` : options.caption;
  const block: DataTableBlock = {
    type: 'data_table',
    caption: truncate(inert(caption), CHART_LIMITS.caption),
    rows: [header, ...rows],
  };
  if (options.pageSize) block.page_size = Math.min(100, Math.max(1, options.pageSize));
  return block;
}

/** Whether a block is one Slack may refuse where charts and tables are not enabled. */
export function isRichBlock(block: { type: string }): boolean {
  return block.type === 'data_visualization' || block.type === 'data_table';
}
