import { describe, expect, it } from 'vitest';
import { splitWords } from '../../../src/domain/command.js';
import { isAppError } from '../../../src/errors.js';
import {
  parseAlertsCommand,
  parseChannelMention,
  parseDuration,
  parseRuleValue,
} from '../../../src/features/alerts/grammar.js';

const parse = (text: string) => parseAlertsCommand(splitWords(text));

function problem(text: string): string {
  try {
    parse(text);
  } catch (error) {
    if (isAppError(error, 'bad_command')) return error.message;
    throw error;
  }
  throw new Error(`"${text}" parsed`);
}

describe('the alerts grammar', () => {
  it('shows the status with no words', () => {
    expect(parse('')).toEqual({ kind: 'show' });
    expect(parse('status')).toEqual({ kind: 'show' });
  });

  it('parses escaped channel mentions', () => {
    expect(parseChannelMention('<#C0123ABC|alerts>')).toEqual({ id: 'C0123ABC', name: 'alerts' });
    expect(parseChannelMention('<#C0123ABC|>')).toEqual({ id: 'C0123ABC' });
    expect(parseChannelMention('<#G0123ABC>')).toEqual({ id: 'G0123ABC' });
    expect(parseChannelMention('C0123ABCD')).toEqual({ id: 'C0123ABCD' });
    expect(parseChannelMention('#alerts')).toBeNull();
    expect(parse('channel <#C0123ABC|ops-alerts>')).toEqual({
      kind: 'change',
      change: { kind: 'channel', channel: { id: 'C0123ABC', name: 'ops-alerts' } },
    });
    expect(parse('channel off')).toEqual({ kind: 'change', change: { kind: 'channel-off' } });
    expect(problem('channel #alerts')).toContain('`#alerts` is not a channel');
  });

  it('parses thresholds in the rule’s unit, with an optional recovery', () => {
    expect(parse('set success_rate 97 recovery 98%')).toEqual({
      kind: 'change',
      change: { kind: 'set', rule: 'success_rate', threshold: 0.97, recovery: 0.98 },
    });
    expect(parse('set latency 1500ms')).toEqual({
      kind: 'change',
      change: { kind: 'set', rule: 'response_time', threshold: 1.5 },
    });
    expect(parse('set error_rate recovery 3.5')).toEqual({
      kind: 'change',
      change: { kind: 'set', rule: 'error_rate', recovery: 0.035 },
    });
    // The 429 rule is a share of the run's calls: 2 % alerts, 0.5 % recovers.
    expect(parse('set 429 2% recovery 0.5')).toEqual({
      kind: 'change',
      change: { kind: 'set', rule: 'rate_limited', threshold: 0.02, recovery: 0.005 },
    });
    expect(parseRuleValue('peak_usage', '85%')).toBe(0.85);
    expect(problem('set success_rate 120')).toContain('a percentage from 0 to 100');
    expect(problem('set response_time fast')).toContain('`fast`: Average API response time takes seconds');
    expect(problem('set rate_limited 150')).toContain('a percentage from 0 to 100');
    expect(problem('set speed 3')).toContain('`speed` is not an alert rule');
    expect(problem('set success_rate')).toContain('Usage: `alerts set <rule> <value> [recovery <value>]`');
  });

  it('parses the options', () => {
    expect(parse('set min_calls 50')).toEqual({
      kind: 'change',
      change: { kind: 'option', option: 'min_api_calls', value: 50 },
    });
    expect(parse('set min_companies 10')).toEqual({
      kind: 'change',
      change: { kind: 'option', option: 'min_companies', value: 10 },
    });
    expect(parse('set repeat 2h')).toEqual({
      kind: 'change',
      change: { kind: 'option', option: 'repeat_interval_ms', value: 7_200_000 },
    });
    expect(problem('set repeat 5m')).toContain('from `15m` to `7d`');
    expect(problem('set min_calls 0')).toContain('1 or more');
  });

  it('parses on, off, mute and unmute for one rule or all', () => {
    expect(parse('off error_rate')).toEqual({
      kind: 'change',
      change: { kind: 'enable', rules: ['error_rate'], enabled: false },
    });
    expect(parse('ON all')).toEqual({
      kind: 'change',
      change: { kind: 'enable', rules: 'all', enabled: true },
    });
    expect(parse('mute all 2h')).toEqual({
      kind: 'change',
      change: { kind: 'mute', rules: 'all', durationMs: 7_200_000 },
    });
    expect(parse('mute qualification 1d')).toEqual({
      kind: 'change',
      change: { kind: 'mute', rules: ['qualification_rate'], durationMs: 86_400_000 },
    });
    expect(parse('unmute peak')).toEqual({
      kind: 'change',
      change: { kind: 'unmute', rules: ['peak_usage'] },
    });
    expect(problem('mute all')).toContain('Say for how long.');
    expect(problem('mute all 31d')).toContain('`31d` is not a duration from 1m to 30d');
    expect(problem('off')).toContain('Usage: `alerts off <rule|all>`');
  });

  it('parses durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1d12h')).toBe(129_600_000);
    expect(parseDuration('1w')).toBe(604_800_000);
    expect(parseDuration('0h')).toBeNull();
    expect(parseDuration('2 hours')).toBeNull();
    expect(parseDuration('h')).toBeNull();
  });

  it('quotes user words back raw: the renderer escapes them, once', () => {
    expect(problem('frobnicate <!channel>')).toContain('`alerts frobnicate <!channel>`');
    expect(problem('set <!here> 3')).toContain('`<!here>` is not an alert rule');
  });
});
