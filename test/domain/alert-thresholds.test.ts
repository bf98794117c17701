/** The dashboard reads the alert rules' thresholds exactly as the alerts resolve them. */
import { describe, expect, it } from 'vitest';
import { RULE_THRESHOLD_KEYS, thresholdsOfAlertState } from '../../src/domain/alert-thresholds.js';
import { THRESHOLDS } from '../../src/domain/thresholds.js';
import { ALERT_RULE_IDS } from '../../src/features/alerts/rules.js';
import { type AlertState, emptyAlertState, resolveRule } from '../../src/features/alerts/state.js';

function stateWith(rules: AlertState['rules']): AlertState {
  return { ...emptyAlertState(), rules };
}

describe('thresholdsOfAlertState', () => {
  it('is the seed thresholds for no state, an empty one, or one of the wrong shape', () => {
    for (const doc of [undefined, null, 'alerts', [], { rules: 3 }, emptyAlertState()]) {
      expect(thresholdsOfAlertState(doc)).toEqual(THRESHOLDS);
    }
  });

  const STATES: Array<[string, AlertState]> = [
    [
      'every rule set',
      stateWith({
        success_rate: { threshold: 0.8, recovery: 0.85 },
        response_time: { threshold: 3.5 },
        error_rate: { threshold: 0.2 },
        qualification_rate: { threshold: 0.05 },
        rate_limited: { threshold: 0.02, recovery: 0.01, unit: 'share' },
        peak_usage: { threshold: 0.75 },
      }),
    ],
    [
      'a rule turned off keeps its threshold',
      stateWith({ success_rate: { threshold: 0.9, enabled: false } }),
    ],
    ['a percentage above 100 % is read as unset', stateWith({ error_rate: { threshold: 5 } })],
    ['a share (2 %) written before units', stateWith({ rate_limited: { threshold: 0.02 } })],
  ];
  for (const [name, state] of STATES) {
    it(`agrees with the alerts' resolveRule: ${name}`, () => {
      const t = thresholdsOfAlertState(state);
      for (const rule of ALERT_RULE_IDS) {
        expect(t[RULE_THRESHOLD_KEYS[rule]], rule).toBe(resolveRule(state, rule).threshold);
      }
      expect(t.rate_limited_recovery).toBe(resolveRule(state, 'rate_limited').recovery);
    });
  }

  it('keeps the default 429 share when the stored threshold is an old count of calls', () => {
    // 5 rate-limited calls per run, set before 429s were a share: the alerts judge it as a count,
    // which says nothing about a share of a period's calls, so the dashboard keeps 1 %.
    const state = stateWith({ rate_limited: { threshold: 5 } });
    expect(resolveRule(state, 'rate_limited').unit).toBe('count');
    expect(thresholdsOfAlertState(state).rate_limited_share).toBe(THRESHOLDS.rate_limited_share);
    expect(thresholdsOfAlertState(state).rate_limited_recovery).toBe(THRESHOLDS.rate_limited_recovery);
  });

  it('keeps "Excellent" above the qualification bound the rule sets', () => {
    const raised = thresholdsOfAlertState(stateWith({ qualification_rate: { threshold: 0.2 } }));
    expect([raised.qualification_good, raised.qualification_excellent]).toEqual([0.2, 0.2]);
    const lowered = thresholdsOfAlertState(stateWith({ qualification_rate: { threshold: 0.05 } }));
    expect([lowered.qualification_good, lowered.qualification_excellent]).toEqual([0.05, 0.15]);
  });
});
