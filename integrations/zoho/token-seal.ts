/**
 * @module integrations/zoho/token-seal
 * The shared access token is stored in the kv (Redis) sealed with AES-256-GCM under a key derived
 * from the client secret, which every replica has and Redis never sees. Someone who can read
 * Redis cannot call Zoho with what they find; a value sealed for another client does not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/** Derives the sealing key from the client secret and the kv key (so values do not move). */
export const sealingKey = (clientSecret: string, context: string): Buffer =>
  Buffer.from(hkdfSync('sha256', clientSecret, 'callbridge/zoho-token', context, 32))

/** Encrypts `plain` to `iv.tag.ciphertext` (base64url parts). */
export const seal = (plain: string, key: Buffer): string => {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.')
}

/** Decrypts a value made by {@link seal}; null when it is malformed or was sealed with another key. */
export const unseal = (sealed: string, key: Buffer): string | null => {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'))
  if (!iv || !tag || !body || iv.length !== 12 || tag.length !== 16) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
