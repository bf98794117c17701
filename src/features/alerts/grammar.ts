/** The `/apollo-dashboard alerts …` grammar: words in, a typed command out (or a `bad_command` error). */
import { parseChannelMention } from '../../domain/command.js';
import { AppError } from '../../errors.js';
import { COMMAND } from '../../ids.js';
import type { AlertsChange, RuleSelection } from './change.js';
import { ALERT_RULE_IDS, ALERT_RULES, type AlertRuleId } from './rules.js';

export { parseChannelMention };

export type AlertsCommand = { kind: 'show' } | { kind: 'change'; change: AlertsChange };

export const ALERTS_USAGE = [
  '`alerts`: rules, their state and the alert channel',
  '`alerts channel #channel` (or `alerts channel off`)',
  '`alerts set <rule> <value> [recovery <value>]`, `alerts set min_calls|min_companies <n>`, `alerts set repeat 4h`',
  '`alerts off <rule|all>` · `alerts on <rule|all>`',
  '`alerts mute <rule|all> <duration>` (e.g. `2h`, `1d`) · `alerts unmute <rule|all>`',
].join('; ');

/** The help line: every form `parseAlertsCommand` accepts. */
export const ALERTS_HELP = `\`${COMMAND} alerts\`: alert rules, incidents and channel · \`alerts channel #channel|off\`, \`alerts set <rule> <value> [recovery <value>]\`, \`alerts set min_calls|min_companies <n>\`, \`alerts set repeat 4h\`, \`alerts on|off <rule|all>\`, \`alerts mute <rule|all> 2h\`, \`alerts unmute <rule|all>\`: change them.`;

/** User words quoted back in an error, raw: the renderer escapes them for mrkdwn, once. */
function quote(word: string): string {
  return `\`${word}\``;
}

const RULE_LIST = ALERT_RULE_IDS.map((r) => `\`${r}\``).join(', ');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Record<string, number> = { m: MINUTE, min: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** `30m`, `2h`, `1d`, `1w`, `1d12h`; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const word = text.trim().toLowerCase();
  if (!/^(\d+(m|min|h|d|w))+$/.test(word)) return null;
  let total = 0;
  for (const part of word.matchAll(/(\d+)(min|m|h|d|w)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] as string] as number);
  }
  return total > 0 ? total : null;
}

export function parseRuleName(word: string): AlertRuleId | null {
  const w = word.trim().toLowerCase();
  for (const id of ALERT_RULE_IDS) {
    if (id === w || ALERT_RULES[id].aliases.includes(w)) return id;
  }
  return null;
}

function ruleOrThrow(word: string | undefined, usage: string): AlertRuleId {
  const rule = word === undefined ? null : parseRuleName(word);
  if (rule === null) {
    throw new AppError(
      'bad_command',
      word === undefined
        ? `Name a rule. Usage: ${usage}. Rules: ${RULE_LIST}.`
        : `${quote(word)} is not an alert rule. Rules: ${RULE_LIST}.`,
    );
  }
  return rule;
}

function selectionOrThrow(word: string | undefined, usage: string): RuleSelection {
  if (word?.toLowerCase() === 'all') return 'all';
  return [ruleOrThrow(word, usage)];
}

/** A rule value as people type it: percentages as `95` or `95%`, seconds as `2`, `1.8s` or `1500ms`, counts as `0`. */
export function parseRuleValue(rule: AlertRuleId, word: string): number {
  const def = ALERT_RULES[rule];
  const raw = word.trim().toLowerCase();
  const fail = (expected: string): never => {
    throw new AppError('bad_command', `${quote(word)}: ${def.name} takes ${expected}.`);
  };
  if (def.unit === 'percent') {
    const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(raw);
    const n = m ? Number(m[1]) : Number.NaN;
    if (!Number.isFinite(n) || n > 100) fail('a percentage from 0 to 100, e.g. `95` or `95%`');
    return Math.round(n * 1000) / 100_000;
  }
  if (def.unit === 'seconds') {
    const m = /^(\d+(?:\.\d+)?)(s|ms)?$/.exec(raw);
    const n = m ? Number(m[1]) / (m[2] === 'ms' ? 1000 : 1) : Number.NaN;
    if (!Number.isFinite(n) || n <= 0 || n > 600)
      fail('seconds above 0 and up to 600, e.g. `2`, `1.5s` or `1500ms`');
    return n;
  }
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n > 1_000_000) fail('a whole number of calls, e.g. `0`');
  return n;
}

const SET_USAGE = '`alerts set <rule> <value> [recovery <value>]`';
const MUTE_MAX = 30 * DAY;

function parseSet(args: readonly string[]): AlertsChange {
  const [name, ...rest] = args;
  const option = name?.toLowerCase();
  if (option === 'min_calls' || option === 'min_api_calls' || option === 'min_companies') {
    const [value, ...extra] = rest;
    const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (extra.length > 0 || !Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new AppError(
        'bad_command',
        `Usage: \`alerts set ${option} <n>\` with a whole number, 1 or more.`,
      );
    }
    return {
      kind: 'option',
      option: option === 'min_companies' ? 'min_companies' : 'min_api_calls',
      value: n,
    };
  }
  if (option === 'repeat' || option === 'repeat_interval') {
    const [value, ...extra] = rest;
    const ms = value === undefined ? null : parseDuration(value);
    if (extra.length > 0 || ms === null || ms < 15 * MINUTE || ms > 7 * DAY) {
      throw new AppError(
        'bad_command',
        'Usage: `alerts set repeat <duration>` from `15m` to `7d`, e.g. `4h`: how often an open incident replies in its thread.',
      );
    }
    return { kind: 'option', option: 'repeat_interval_ms', value: ms };
  }
  const rule = ruleOrThrow(name, SET_USAGE);
  const change: AlertsChange & { kind: 'set' } = { kind: 'set', rule };
  let i = 0;
  if (rest[0] !== undefined && rest[0].toLowerCase() !== 'recovery') {
    change.threshold = parseRuleValue(rule, rest[0]);
    i = 1;
  }
  if (rest[i]?.toLowerCase() === 'recovery') {
    const value = rest[i + 1];
    if (value === undefined)
      throw new AppError('bad_command', `Give the recovery value. Usage: ${SET_USAGE}.`);
    change.recovery = parseRuleValue(rule, value);
    i += 2;
  }
  if (i !== rest.length || (change.threshold === undefined && change.recovery === undefined)) {
    throw new AppError(
      'bad_command',
      `Usage: ${SET_USAGE}, e.g. \`alerts set ${rule} ${exampleValue(rule)}\`.`,
    );
  }
  return change;
}

function exampleValue(rule: AlertRuleId): string {
  const unit = ALERT_RULES[rule].unit;
  return unit === 'percent' ? '95%' : unit === 'seconds' ? '2s' : '0';
}

/** Parses the words after `alerts`; throws `bad_command` naming what was wrong. */
export function parseAlertsCommand(args: readonly string[]): AlertsCommand {
  const [verb, ...rest] = args;
  switch (verb?.toLowerCase()) {
    case undefined:
    case 'status':
    case 'show':
      if (rest.length > 0) throw new AppError('bad_command', `Usage: ${ALERTS_USAGE}.`);
      return { kind: 'show' };
    case 'channel': {
      const [target, ...extra] = rest;
      if (target === undefined || extra.length > 0) {
        throw new AppError('bad_command', 'Usage: `alerts channel #channel` (or `alerts channel off`).');
      }
      if (['off', 'none'].includes(target.toLowerCase()))
        return { kind: 'change', change: { kind: 'channel-off' } };
      const channel = parseChannelMention(target);
      if (!channel) {
        throw new AppError(
          'bad_command',
          `${quote(target)} is not a channel. Type \`#\` and pick the channel from the list, so Slack sends its id.`,
        );
      }
      return { kind: 'change', change: { kind: 'channel', channel } };
    }
    case 'set':
      return { kind: 'change', change: parseSet(rest) };
    case 'on':
    case 'off': {
      const usage = `\`alerts ${verb.toLowerCase()} <rule|all>\``;
      if (rest.length !== 1) throw new AppError('bad_command', `Usage: ${usage}. Rules: ${RULE_LIST}.`);
      return {
        kind: 'change',
        change: {
          kind: 'enable',
          rules: selectionOrThrow(rest[0], usage),
          enabled: verb.toLowerCase() === 'on',
        },
      };
    }
    case 'mute': {
      const usage = '`alerts mute <rule|all> <duration>`, e.g. `alerts mute all 2h`';
      const [target, duration, ...extra] = rest;
      const rules = selectionOrThrow(target, usage);
      const ms = duration === undefined ? null : parseDuration(duration);
      if (extra.length > 0 || ms === null || ms > MUTE_MAX) {
        throw new AppError(
          'bad_command',
          `${duration === undefined ? 'Say for how long.' : `${quote(duration)} is not a duration from 1m to 30d.`} Usage: ${usage}.`,
        );
      }
      return { kind: 'change', change: { kind: 'mute', rules, durationMs: ms } };
    }
    case 'unmute': {
      const usage = '`alerts unmute <rule|all>`';
      if (rest.length !== 1) throw new AppError('bad_command', `Usage: ${usage}.`);
      return { kind: 'change', change: { kind: 'unmute', rules: selectionOrThrow(rest[0], usage) } };
    }
    default:
      throw new AppError(
        'bad_command',
        `I don't know ${quote(`alerts ${args.join(' ')}`)}. Usage: ${ALERTS_USAGE}.`,
      );
  }
}
