/**
 * The optional API key: `Authorization: Bearer <key>`, as OpenAI's clients send it. Compared in
 * constant time: both sides are hashed to 32 bytes first, so neither the key's length nor the
 * position of the first differing byte changes how long a comparison takes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './http-error.ts';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** A check for `key`, or one that lets every request through when there is no key. */
export function apiKeyCheck(key: string | undefined): (headers: IncomingHttpHeaders) => void {
  if (key === undefined) return () => undefined;
  if (key === '') throw new HttpError(500, 'the API key is empty');
  const expected = digest(key);
  return (headers) => {
    const auth = headers['authorization'];
    const m = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
    if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
      throw new HttpError(401, m ? 'the API key is not valid' : 'this server needs an API key: send `Authorization: Bearer <key>`', 'authentication_error', null, 'invalid_api_key', { 'WWW-Authenticate': 'Bearer' });
    }
  };
}
