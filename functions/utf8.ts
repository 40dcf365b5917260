// UTF-8 bytes → text. Node 20 decodes UTF-8 that is mostly Chinese at ~120 MB/s (Buffer#toString and TextDecoder
// alike), so a 10,000-row 附件1 (~10 MB) cost ~85 ms before it was even parsed; ICU's transcoder (in every official
// Node build, Lambda's included) does the same in a fraction of that. It refuses malformed UTF-8, which then
// decodes as before (each bad sequence as U+FFFD), so the text is the same either way.
import { transcode } from 'node:buffer';

/** Below this, the plain decoder is as fast and makes a one-byte string of ASCII text. */
const TRANSCODE_FROM_BYTES = 64 * 1024;

export function utf8Text(bytes: Buffer): string {
  if (bytes.byteLength < TRANSCODE_FROM_BYTES) return bytes.toString('utf8');
  try {
    return transcode(bytes, 'utf8', 'ucs2').toString('ucs2');
  } catch {
    return bytes.toString('utf8'); // malformed UTF-8, or a Node built without ICU
  }
}
