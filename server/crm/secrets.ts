/**
 * CRM tokens at rest: AES-256-GCM (node:crypto) with the key of CRM_TOKEN_KEY (32 bytes, base64 or hex).
 * The team id is the additional authenticated data, so a ciphertext copied into another team's row does
 * not decrypt. Without a key nothing is stored: the routes say so.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class MissingKeyError extends Error {
  override name = 'MissingKeyError';
  constructor() {
    super(
      'CRM_TOKEN_KEY is not set on the server: CRM tokens are stored only encrypted. Set it to 32 random bytes in base64 (openssl rand -base64 32) and restart.',
    );
  }
}

/** The key from its text (base64 or hex of 32 bytes), or an error naming what is wrong. */
export function parseTokenKey(text: string): Uint8Array {
  const t = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length !== 32)
    throw new Error(`CRM_TOKEN_KEY must be 32 bytes in base64 or hex (got ${bytes.length} bytes)`);
  return new Uint8Array(bytes);
}

export interface TokenCipher {
  seal(plain: string, teamId: string): string;
  open(sealed: string, teamId: string): string;
}

export function tokenCipher(key: Uint8Array | undefined): TokenCipher {
  return {
    seal(plain, teamId) {
      if (!key) throw new MissingKeyError();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(teamId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        body.toString('base64url'),
      ].join('.');
    },
    open(sealed, teamId) {
      if (!key) throw new MissingKeyError();
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed CRM token');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(teamId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
