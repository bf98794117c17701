/**
 * The dashboard flattened to one row per figure, `section,metric,dimension,value`, so a
 * spreadsheet can pivot it. The walk is generic: any section added to the model appears without
 * a change here.
 *
 * - `section` is the model's top-level key (`report` for top-level scalars such as `generated_at`).
 * - `metric` is the path of field names below it, joined with `.`, e.g. `rate_limit_status.peak_usage`.
 * - `dimension` is what the figure is about where one applies: the key of a map whose keys are
 *   values rather than field names (`Tier 1`, `90-100`, `LinkedIn`), or the identifying field of a
 *   list item (`name` of an industry, size band or country, `endpoint`, `campaign`, `channel`,
 *   a funnel `step`, `run_id`…; its 1-based position when it has none). Below a dimension, further value keys
 *   (an endpoint's status codes) join the metric path.
 * - `value` is the raw figure: rates are fractions 0..1, times seconds; empty when null. Empty
 *   lists produce no rows.
 */
import type { DashboardModel } from '../../domain/dashboard.js';
import { type CsvValue, csvLine } from './csv.js';

export interface FigureRow {
  section: string;
  metric: string;
  dimension: string;
  value: string | number | boolean | null;
}

export const DASHBOARD_CSV_HEADER = ['section', 'metric', 'dimension', 'value'] as const;

/** Fields that name a list item, in order of preference. */
const ID_FIELDS = [
  'name',
  'endpoint',
  'campaign',
  'channel',
  'tier',
  'step',
  'stage',
  'size_band',
  'industry',
  'country',
  'run_id',
  'id',
  'key',
] as const;

/** A field name (snake_case); anything else used as a key (`Tier 1`, `90-100`, `200`) is a value. */
const FIELD_NAME = /^[a-z][a-z0-9_]*$/;

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

function isRecord(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idFieldOf(item: { [key: string]: Json }): string | null {
  for (const field of ID_FIELDS) {
    const v = item[field];
    if (typeof v === 'string' || typeof v === 'number') return field;
  }
  return null;
}

interface Place {
  section: string;
  path: readonly string[];
  dimension: string | null;
}

function walk(value: Json, at: Place, out: FigureRow[]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') {
    const metric = at.path.length > 0 ? at.path.join('.') : at.section;
    out.push({ section: at.section, metric, dimension: at.dimension ?? '', value });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      let key = String(i + 1);
      let rest: Json = item;
      if (isRecord(item)) {
        const idField = idFieldOf(item);
        if (idField !== null) {
          key = String(item[idField]);
          rest = Object.fromEntries(Object.entries(item).filter(([k]) => k !== idField));
        }
      }
      walk(rest, descend(at, key, true), out);
    });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    walk(child, descend(at, key, !FIELD_NAME.test(key)), out);
  }
}

/** One step down: a field name extends the metric; a value becomes the dimension (or joins the metric below one). */
function descend(at: Place, key: string, isValue: boolean): Place {
  if (isValue && at.dimension === null) return { ...at, dimension: key };
  return { ...at, path: [...at.path, key] };
}

export function flattenDashboard(model: DashboardModel): FigureRow[] {
  const out: FigureRow[] = [];
  for (const [key, value] of Object.entries(model as unknown as { [key: string]: Json })) {
    if (value !== null && typeof value === 'object') {
      walk(value, { section: key, path: [], dimension: null }, out);
    } else {
      walk(value, { section: 'report', path: [key], dimension: null }, out);
    }
  }
  return out;
}

export function renderDashboardCsv(model: DashboardModel): string {
  const lines = [csvLine(DASHBOARD_CSV_HEADER)];
  for (const row of flattenDashboard(model)) {
    const cells: CsvValue[] = [row.section, row.metric, row.dimension, row.value];
    lines.push(csvLine(cells));
  }
  return lines.join('');
}
