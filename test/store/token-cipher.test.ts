import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { createTokenCipher } from '../../src/store/token-cipher.js';

describe('token cipher (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const cipher = createTokenCipher(key);
  const token = 'xoxb-1234-5678-secretvalue';

  it('opens what it sealed; the sealed text never contains the token, and each seal differs', () => {
    const a = cipher.seal(token);
    const b = cipher.seal(token);
    expect(a).not.toContain('secretvalue');
    expect(a).not.toBe(b);
    expect(cipher.open(a)).toBe(token);
    expect(cipher.open(b)).toBe(token);
  });

  it('refuses a value sealed with another key, or altered, as store_unavailable', () => {
    const sealed = cipher.seal(token);
    const other = createTokenCipher(randomBytes(32));
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(
      isAppError(
        fail(() => other.open(sealed)),
        'store_unavailable',
      ),
    ).toBe(true);
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${(body ?? '').slice(0, -2)}${(body ?? '').endsWith('AA') ? 'AB' : 'AA'}`;
    expect(
      isAppError(
        fail(() => cipher.open([v, iv, tag, flipped].join('.'))),
        'store_unavailable',
      ),
    ).toBe(true);
    expect(
      isAppError(
        fail(() => cipher.open(token)),
        'store_unavailable',
      ),
    ).toBe(true);
  });

  it('takes only a 32-byte key', () => {
    expect(() => createTokenCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
