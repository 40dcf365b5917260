// Idempotency-Key, which every request that writes on a click carries (submit and its parts, callback results,
// reviews): chosen once per click and sent again unchanged by each retry, so a retry finds what the click wrote.
import { createHash } from 'node:crypto';
import { Malformed } from '../errors';

/** Longest key accepted: a client's random key is far shorter; a longer one is not a key but a mistake. */
const MAX_KEY_LENGTH = 200;

/** The request's Idempotency-Key header, or 400 saying how a client makes one. */
export function checkIdempotencyKey(key: string | undefined): string {
  if (!key || key.length > MAX_KEY_LENGTH) {
    throw new Malformed(
      `缺少 Idempotency-Key 请求头(每次点击按钮生成一个,重试时保持不变,不超过 ${MAX_KEY_LENGTH} 个字符)。`,
      { code: 'idempotency_key_required' },
    );
  }
  return key;
}

/** Hash of what a request asked: the same Idempotency-Key with another body is refused (409). */
export const requestHash = (value: string | Uint8Array): string => createHash('sha256').update(value).digest('hex');
