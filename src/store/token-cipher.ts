/**
 * Slack tokens at rest: AES-256-GCM with the key from SLACK_TOKEN_KEY. A sealed token is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the authentication tag makes a tampered or
 * wrong-key value fail to open instead of yielding garbage. The key never leaves this closure.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

export interface TokenCipher {
  seal(token: string): string;
  /** Throws `store_unavailable` when the value was sealed with another key or altered. */
  open(sealed: string): string;
}

export function createTokenCipher(key: Buffer): TokenCipher {
  if (key.length !== 32) throw new AppError('config_invalid', 'SLACK_TOKEN_KEY must be 32 bytes.');
  const secret = Buffer.from(key);
  return {
    seal(token) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', iv, tag, body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      try {
        if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed token');
        const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        throw new AppError(
          'store_unavailable',
          'A stored Slack token cannot be decrypted (SLACK_TOKEN_KEY changed, or the record was altered).',
          { cause: error },
        );
      }
    },
  };
}
