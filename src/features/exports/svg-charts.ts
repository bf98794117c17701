/**
 * Inline SVG charts for the HTML report: drawn with presentation attributes only (no style
 * attributes, no scripts, no external anything), so they render under a strict CSP and print.
 * Every label goes through the `html` template and is escaped.
 */
import { html, type SafeHtml } from './html-safe.js';

export interface ChartBar {
  label: string;
  value: number;
  /** The text shown after the bar, e.g. "1,234 (12.3%)". */
  note: string;
  color: string;
}

const WIDTH = 640;
const LABEL_CHARS = 22;

function shorten(label: string, max = LABEL_CHARS): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

function label(
  text: string,
  attrs: { x: number; y: number; anchor?: 'start' | 'middle' | 'end'; cls: string },
) {
  const short = shorten(text);
  return html`<text x="${attrs.x}" y="${attrs.y}" text-anchor="${attrs.anchor ?? 'start'}" class="${attrs.cls}">${short}${
    short === text ? null : html`<title>${text}</title>`
  }</text>`;
}

function frame(id: string, title: string, height: number, body: SafeHtml | SafeHtml[]): SafeHtml {
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${id}-title"><title id="${id}-title">${title}</title>${body}</svg>`;
}

/** One bar per row, label on the left and the note after the bar. */
export function horizontalBarChart(options: {
  id: string;
  title: string;
  bars: readonly ChartBar[];
}): SafeHtml {
  const row = 30;
  const labelWidth = 150;
  const track = 360;
  const max = Math.max(0, ...options.bars.map((b) => b.value));
  const rows = options.bars.map((b, i) => {
    const y = 6 + i * row;
    const w = max > 0 ? Math.round((b.value / max) * track * 10) / 10 : 0;
    return html`<g>${label(b.label, { x: labelWidth - 8, y: y + 15, anchor: 'end', cls: 'chart-label' })}<rect x="${labelWidth}" y="${y + 2}" width="${track}" height="18" rx="3" fill="#eef1f4"/><rect x="${labelWidth}" y="${y + 2}" width="${w}" height="18" rx="3" fill="${b.color}"/>${label(b.note, { x: labelWidth + track + 8, y: y + 15, cls: 'chart-value' })}</g>`;
  });
  return frame(options.id, options.title, 12 + options.bars.length * row, rows);
}

/** Vertical bars with their counts above and labels below: the score histogram. */
export function columnChart(options: { id: string; title: string; bars: readonly ChartBar[] }): SafeHtml {
  const height = 230;
  const top = 24;
  const bottom = 196;
  const left = 20;
  const slot = (WIDTH - 2 * left) / Math.max(1, options.bars.length);
  const barWidth = Math.round(slot * 0.64);
  const max = Math.max(0, ...options.bars.map((b) => b.value));
  const columns = options.bars.map((b, i) => {
    const h = max > 0 ? Math.round((b.value / max) * (bottom - top) * 10) / 10 : 0;
    const x = Math.round(left + i * slot + (slot - barWidth) / 2);
    const center = Math.round(left + i * slot + slot / 2);
    return html`<g><rect x="${x}" y="${Math.round((bottom - h) * 10) / 10}" width="${barWidth}" height="${h}" rx="2" fill="${b.color}"/>${label(b.note, { x: center, y: Math.round(bottom - h - 6), anchor: 'middle', cls: 'chart-value' })}${label(b.label, { x: center, y: bottom + 20, anchor: 'middle', cls: 'chart-label' })}</g>`;
  });
  const axis = html`<line x1="${left}" y1="${bottom}" x2="${WIDTH - left}" y2="${bottom}" stroke="#8a949e" stroke-width="1"/>`;
  return frame(options.id, options.title, height, [axis, ...columns]);
}

export interface LinePoint {
  label: string;
  /** A fraction 0..1; null leaves a gap. */
  value: number | null;
  note: string;
}

/** A line over the points (a series of rates), with each value above its point. */
export function lineChart(options: { id: string; title: string; points: readonly LinePoint[] }): SafeHtml {
  const height = 200;
  const top = 28;
  const bottom = 160;
  const left = 50;
  const right = WIDTH - 30;
  const n = options.points.length;
  // Rates: the axis runs from 0 to the next 10% above the highest value (at least 20%, at most 100%).
  const highest = Math.max(0, ...options.points.map((p) => p.value ?? 0));
  const max = Math.min(1, Math.max(0.2, Math.ceil((highest + 0.05) * 10) / 10));
  const xOf = (i: number) => Math.round(n <= 1 ? (left + right) / 2 : left + (i * (right - left)) / (n - 1));
  const yOf = (v: number) => Math.round((bottom - (v / max) * (bottom - top)) * 10) / 10;
  const segments: string[][] = [[]];
  options.points.forEach((p, i) => {
    if (p.value === null) segments.push([]);
    else segments[segments.length - 1]?.push(`${xOf(i)},${yOf(p.value)}`);
  });
  const lines = segments
    .filter((s) => s.length > 1)
    .map((s) => html`<polyline points="${s.join(' ')}" fill="none" stroke="#2f6fb0" stroke-width="2"/>`);
  const dots = options.points.map((p, i) =>
    p.value === null
      ? label(p.label, { x: xOf(i), y: bottom + 20, anchor: 'middle', cls: 'chart-label' })
      : html`<g><circle cx="${xOf(i)}" cy="${yOf(p.value)}" r="4" fill="#2f6fb0"/>${label(p.note, { x: xOf(i), y: yOf(p.value) - 9, anchor: 'middle', cls: 'chart-value' })}${label(p.label, { x: xOf(i), y: bottom + 20, anchor: 'middle', cls: 'chart-label' })}</g>`,
  );
  const axis = html`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#8a949e" stroke-width="1"/><text x="${left - 8}" y="${bottom + 4}" text-anchor="end" class="chart-axis">0%</text><text x="${left - 8}" y="${top + 4}" text-anchor="end" class="chart-axis">${`${Math.round(max * 100)}%`}</text><line x1="${left}" y1="${top}" x2="${right}" y2="${top}" stroke="#e3e7eb" stroke-width="1"/>`;
  return frame(options.id, options.title, height, [axis, ...lines, ...dots]);
}

export interface FunnelStage {
  /** Shown above the stage's bars, e.g. "Apollo · companies". */
  title: string;
  steps: readonly ChartBar[];
}

/**
 * A funnel: one centered bar per step, joined to the next by a light trapezoid; label on the left,
 * the note (count and rate) on the right. Bars are scaled within their stage, so a stage counting
 * something else (messages sent rather than companies) neither dwarfs nor is dwarfed by the other.
 */
export function funnelChart(options: {
  id: string;
  title: string;
  stages: readonly FunnelStage[];
}): SafeHtml {
  const row = 34;
  const barHeight = 22;
  const heading = 24;
  const labelWidth = 166;
  const track = 300;
  const center = labelWidth + track / 2;
  const noteX = labelWidth + track + 10;
  const at = (n: number) => Math.round(n * 10) / 10;
  let y = 0;
  const parts = options.stages.map((stage, stageIndex) => {
    const max = Math.max(0, ...stage.steps.map((s) => s.value));
    const widthOf = (v: number) => (max > 0 && v > 0 ? Math.max(2, at((v / max) * track)) : 0);
    const head = html`<text x="${labelWidth}" y="${y + 16}" class="chart-axis">${stage.title}</text>${
      stageIndex === 0
        ? html`<text x="${noteX}" y="${y + 16}" class="chart-axis">count · of previous step</text>`
        : null
    }`;
    y += heading;
    const items = stage.steps.map((s, i) => {
      const top = y + i * row;
      const w = widthOf(s.value);
      const next = stage.steps[i + 1];
      const a = w / 2;
      const b = next ? widthOf(next.value) / 2 : 0;
      const connector =
        next && (a > 0 || b > 0)
          ? html`<polygon points="${`${at(center - a)},${top + barHeight} ${at(center + a)},${top + barHeight} ${at(center + b)},${top + row} ${at(center - b)},${top + row}`}" fill="#e3e9f0"/>`
          : null;
      return html`<g>${label(s.label, { x: labelWidth - 10, y: top + 15, anchor: 'end', cls: 'chart-label' })}<line x1="${labelWidth}" y1="${top + barHeight / 2}" x2="${labelWidth + track}" y2="${top + barHeight / 2}" stroke="#eef1f4" stroke-width="1"/>${connector}${
        w > 0
          ? html`<rect x="${at(center - a)}" y="${top}" width="${w}" height="${barHeight}" rx="3" fill="${s.color}"/>`
          : null
      }${label(s.note, { x: noteX, y: top + 15, cls: 'chart-value' })}</g>`;
    });
    y += stage.steps.length * row;
    return html`${head}${items}`;
  });
  return frame(options.id, options.title, y, parts);
}
