/** formatInt is written by hand for finite numbers below 1e21 (no Intl to load); it must agree with Intl. */
import { describe, expect, it } from 'vitest';
import { formatInt } from '../../src/domain/format.js';

describe('formatInt without Intl', () => {
  it('writes every number exactly as en-US Intl does', () => {
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    const values = [0, -0, 0.4, 0.5, 1.5, 2.5, -0.4, -0.5, -2.5, 999, 1000, 999.5, 1234.5, -1234567.49];
    values.push(
      0.49999999999999994,
      2 ** 53,
      2 ** 53 + 2,
      123456789012345680000,
      9.99e20,
      1e21,
      -1e21,
      1e300,
    );
    values.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER);
    let x = 0.37;
    for (let i = 0; i < 3000; i++) {
      values.push(x, -x, Math.floor(x) + 0.5);
      x = x * 1.013 + (i % 7);
    }
    for (const v of values) expect([v, formatInt(v)]).toEqual([v, intl.format(v)]);
  });
});
