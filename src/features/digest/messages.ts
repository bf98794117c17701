/** The digest message and the `digest` settings view. */
import { seriesChart } from '../../blocks/charts.js';
import {
  type AnyMessageBlock,
  actions,
  button,
  context,
  escapeMrkdwn,
  fields,
  header,
  message,
  type SlackMessage,
  section,
} from '../../blocks/kit.js';
import {
  formatInt,
  formatMoney,
  formatPercent,
  formatPercentValue,
  formatPercentValueChange,
  formatPointChange,
  formatScore,
  formatSeconds,
  formatSignedInt,
  formatSignedMoney,
  formatSignedSeconds,
  formatVerdict,
  judgeChange,
  slackDateTime,
} from '../../domain/format.js';
import { formatLocalDate, formatLocalDateTime } from '../../domain/time.js';
import { ACTIONS, COMMAND } from '../../ids.js';
import { DIGEST_USAGE } from './grammar.js';
import { type DigestState, describeSchedule, type SendRecord } from './state.js';
import type { Delta, DigestModel } from './summary.js';

function value(d: Delta, v: number | null, currency: string | null): string {
  switch (d.kind) {
    case 'money':
      return formatMoney(v, currency);
    case 'rate':
      return formatPercent(v);
    case 'seconds':
      return formatSeconds(v);
    case 'percent':
      return formatPercentValue(v);
    default:
      return v === null ? 'n/a' : formatInt(v);
  }
}

function amount(d: Delta, change: number, currency: string | null): string {
  switch (d.kind) {
    case 'money':
      return formatSignedMoney(change, currency);
    case 'rate':
      return formatPointChange(change);
    case 'seconds':
      return formatSignedSeconds(change);
    case 'percent':
      return formatPercentValueChange(change);
    default:
      return formatSignedInt(change);
  }
}

/** The change with its direction and, by the rule the dashboard shares, whether it is better or worse. */
function change(d: Delta, currency: string | null): string {
  if (d.change === null) return 'no comparison';
  return formatVerdict(d.change, judgeChange(d.change, d.higher_is_better), amount(d, d.change, currency));
}

export function renderDigestText(model: DigestModel): string {
  const tz = model.time_zone;
  const span = `${formatLocalDate(new Date(model.window.start), tz)} to ${formatLocalDate(new Date(model.window.end), tz)}`;
  if (model.quiet) {
    return `Apollo weekly digest (${span}): no runs this week.${model.last_run_at ? ` Last run: ${formatLocalDate(new Date(model.last_run_at), tz)}.` : ''}`;
  }
  const parts = model.deltas
    .slice(0, 4)
    .map((d) => `${d.name} ${value(d, d.current, model.currency)} (${change(d, model.currency)})`);
  return `Apollo weekly digest (${span}): ${parts.join(', ')}.`;
}

export function renderDigestMessage(model: DigestModel): SlackMessage {
  const tz = model.time_zone;
  const from = formatLocalDate(new Date(model.window.start), tz);
  const to = formatLocalDate(new Date(model.window.end), tz);
  // The header is plain text (no date tokens there); the context below shows each reader's own zone.
  const blocks: AnyMessageBlock[] = [header(`Apollo weekly digest · ${from} to ${to}`)];
  const meta = [
    `Last 7 days (${slackDateTime(model.window.start, tz)} to ${slackDateTime(model.window.end, tz)}) vs the 7 before · ${formatInt(model.runs)} run${model.runs === 1 ? '' : 's'} · generated ${slackDateTime(model.generated_at, tz)}`,
  ];
  if (model.late_for) meta.push(`:hourglass: Posted late: it was due ${slackDateTime(model.late_for, tz)}.`);
  blocks.push(context(meta));
  const openButton = actions([button('Open dashboard', ACTIONS.digestOpenDashboard, { value: '7d' })]);
  if (model.quiet) {
    blocks.push(
      section(
        `*No runs this week.* ${model.last_run_at ? `The last run started ${slackDateTime(model.last_run_at, tz)}.` : 'No run has been uploaded yet.'} Upload with \`${COMMAND} upload\` or the ingest API.`,
      ),
      openButton,
    );
    return message(renderDigestText(model), blocks);
  }
  blocks.push(section('*What changed*'));
  const deltaFields = model.deltas.map(
    (d) => `*${d.name}*\n${value(d, d.current, model.currency)} (${change(d, model.currency)})`,
  );
  // A fields section holds at most 10; campaign figures continue in a second one.
  for (let i = 0; i < deltaFields.length; i += 10) blocks.push(fields(deltaFields.slice(i, i + 10)));
  const t1 = model.new_tier_1;
  if (t1.total > 0) {
    const lines = t1.top.map(
      (c) =>
        `• *${escapeMrkdwn(c.name)}* · ${formatScore(c.icp_score)}${c.industry ? ` · ${escapeMrkdwn(c.industry)}` : ''}${c.country ? ` · ${escapeMrkdwn(c.country)}` : ''}`,
    );
    if (t1.total > t1.top.length) lines.push(`_…and ${formatInt(t1.total - t1.top.length)} more_`);
    blocks.push(section(`*New Tier 1 companies (${formatInt(t1.total)})*\n${lines.join('\n')}`));
  } else {
    blocks.push(section('*New Tier 1 companies*\nNone this week.'));
  }
  const moverLines = (list: DigestModel['industry_movers']) =>
    list.length === 0
      ? '_no change_'
      : list
          .map(
            (m) =>
              `${escapeMrkdwn(m.name)} ${m.change > 0 ? '↑' : '↓'}${formatInt(Math.abs(m.change))} (${formatInt(m.current)})`,
          )
          .join(' · ');
  blocks.push(
    section(
      `*Industries that moved most*: ${moverLines(model.industry_movers)}\n*Geographies that moved most*: ${moverLines(model.geography_movers)}`,
    ),
  );
  if (model.incidents) {
    const inc = model.incidents;
    blocks.push(
      section(
        `*Alerts*: ${formatInt(inc.opened)} incident${inc.opened === 1 ? '' : 's'} opened, ${formatInt(inc.resolved)} resolved this week${inc.lines.length ? `\n${inc.lines.slice(0, 5).join('\n')}` : ''}`,
      ),
    );
  }
  if (model.recommendations.length > 0) {
    blocks.push(
      section(
        `*Top recommendations*\n${model.recommendations.map((r) => `• ${escapeMrkdwn(r.message)}`).join('\n')}`,
      ),
    );
  }
  const wq = model.weekly_qualification;
  if (wq.chart) {
    blocks.push(
      context([
        `Qualification rate, last 8 weeks: ${wq.chart}  (${wq.weeks.map((w) => formatPercent(w.rate, 0)).join(' · ')})`,
      ]),
    );
    // The same weeks as a native line chart; the line above is its text fallback.
    const chart = seriesChart({
      kind: 'line',
      title: 'Qualification rate by week (%)',
      categories: wq.weeks.map((w) => formatLocalDate(new Date(w.start), tz).slice(5)),
      series: [
        {
          name: 'Qualification %',
          values: wq.weeks.map((w) => (w.rate === null ? null : Math.round(w.rate * 1000) / 10)),
        },
      ],
      xLabel: 'Week starting',
      yLabel: 'Qualified (%)',
    });
    if (chart) blocks.push(chart);
  }
  blocks.push(openButton);
  return message(renderDigestText(model), blocks);
}

function describeRecord(r: SendRecord, tz: string): string {
  const when = formatLocalDateTime(new Date(r.intended_at), tz);
  const channel = r.channel ? ` to <#${r.channel}>` : '';
  switch (r.status) {
    case 'posted':
      return `posted${channel} for ${when}`;
    case 'late':
      return `posted late${channel} (due ${when}, sent ${formatLocalDateTime(new Date(r.at), tz)})`;
    case 'missed':
      return `missed ${when}: the app was down longer than the catch-up window`;
    case 'skipped':
      return `skipped ${when}: no runs that week (skip-empty is on)`;
    case 'failed':
      return `FAILED for ${when}${channel}: ${escapeMrkdwn(r.error ?? 'unknown error')}`;
  }
}

export function renderDigestStatus(options: {
  state: DigestState;
  timeZone: string;
  next: Date | null;
}): SlackMessage {
  const { state, timeZone: tz } = options;
  const schedule = describeSchedule(state.schedule, tz);
  const lines = [
    `• *Schedule*: ${state.enabled ? schedule : `off (was ${schedule})`}`,
    `• *Channel*: ${state.channel ? `<#${state.channel}>` : '_not set: `digest channel #channel`_'}`,
    `• *Next send*: ${state.enabled && state.channel && options.next ? formatLocalDateTime(options.next, tz) : 'none'}`,
    `• *Last send*: ${state.history[0] ? describeRecord(state.history[0], tz) : 'none yet'}`,
    `• *Quiet weeks*: ${state.skip_empty ? 'skipped' : 'a short "no data" message'}`,
  ];
  const missed = state.history.filter((r) => r.status === 'missed' || r.status === 'failed').slice(0, 3);
  const blocks: AnyMessageBlock[] = [header('Weekly digest'), section(lines.join('\n'))];
  if (missed.length > 0 && missed[0] !== state.history[0]) {
    blocks.push(section(`*Not delivered*\n${missed.map((r) => `• ${describeRecord(r, tz)}`).join('\n')}`));
  }
  if (state.last_manual) blocks.push(context([`Last manual send: ${describeRecord(state.last_manual, tz)}`]));
  blocks.push(context([`Change it with ${DIGEST_USAGE}`]));
  return message(
    `Digest: ${state.enabled ? schedule : 'off'}${state.channel ? '' : ', no channel set'}.`,
    blocks,
  );
}
