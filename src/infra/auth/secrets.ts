import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto'

/** 256 random bits, URL-safe: refresh tokens are opaque bearer secrets. */
export const randomToken = (): string => randomBytes(32).toString('base64url')

/** Random tokens carry enough entropy that a plain hash protects them at rest. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url')

/** Short codes have little entropy, so they are keyed: a leaked table alone does not reveal them. */
export const keyedHash = (key: string, value: string): string =>
  createHmac('sha256', key).update(value).digest('base64url')

export const numericCode = (digits = 6): string => String(randomInt(0, 10 ** digits)).padStart(digits, '0')
