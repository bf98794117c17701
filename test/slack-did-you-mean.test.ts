/** Errors that help: a mistyped subcommand gets "did you mean" and only the usage that matters. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closestWord } from '../src/domain/command.js';
import { type Harness, startHarness, visibleText } from './helpers/app-harness.js';
import { assertResponseBody } from './helpers/slack-limits.js';

describe('closestWord', () => {
  it('finds a near miss within two edits (one for short words), and nothing for a far one', () => {
    const known = ['settings', 'alerts', 'export', 'digest', 'post', 'runs', '30d', 'all'];
    expect(closestWord('setings', known)).toBe('settings');
    expect(closestWord('alrets', known)).toBe('alerts'); // a swap is one edit
    expect(closestWord('exprot', known)).toBe('export');
    expect(closestWord('psot', known)).toBe('post');
    expect(closestWord('30', known)).toBe('30d');
    expect(closestWord('fortnight', known)).toBeNull();
    expect(closestWord('xyz', known)).toBeNull();
  });
});

describe('a mistyped command over signed HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers a typo of a subcommand with "did you mean" and only that usage line', async () => {
    const { ack } = await h.command('alrets mute success_rate 2h');
    assertResponseBody(ack.json);
    const text = visibleText(ack.json);
    expect(text).toContain('Did you mean `/apollo-dashboard alerts mute success_rate 2h`?');
    expect(text).toContain('`/apollo-dashboard alerts');
    expect(text).not.toContain('/apollo-dashboard export');
    expect(text).not.toContain('/apollo-dashboard digest');
    expect(text).toContain('Every command: `/apollo-dashboard help`.');
    // Far shorter than the whole usage (about 1,750 characters).
    expect(JSON.stringify(ack.json.blocks).length).toBeLessThan(1500);
  });

  it('suggests the period for a near miss of one, with the dashboard line only', async () => {
    const { ack } = await h.command('30');
    const text = visibleText(ack.json);
    expect(text).toContain('Did you mean `/apollo-dashboard 30d`?');
    expect(text).toContain('`/apollo-dashboard [period]`');
    expect(text).not.toContain('/apollo-dashboard alerts');
  });

  it('shows only the subcommand’s own usage when its arguments are wrong', async () => {
    const { ack } = await h.command('export pdf');
    const text = visibleText(ack.json);
    expect(text).toContain('`pdf` is not an export format');
    expect(text).toContain('`/apollo-dashboard export json|csv|html|companies');
    expect(text).not.toContain('/apollo-dashboard alerts');
  });
});
