// Where each row's JSON sits in a submission's body (`{"rows":[{…},{…}],…}`), found without parsing it: the store
// can start compressing those bytes while the body is parsed and checked, and keep them when the checked rows turn
// out to be the rows as sent (domain/submit.ts). Anything unusual answers null, and the rows are encoded as usual.
import { isUtf8 } from 'node:buffer';
import type { RowTexts } from './store/types';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const ROWS_KEY = Buffer.from('"rows"');

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const ENDS_SCALAR = new Set([COMMA, CLOSE_OBJECT, CLOSE_ARRAY, COLON, 0x20, 0x0a, 0x0d, 0x09]);

/** A body the scanner gave up on: the caller falls back to the parsed rows. */
class Unusual extends Error {}

class Scanner {
  at = 0;
  constructor(readonly b: Buffer) {}

  space(): void {
    while (this.at < this.b.length && isSpace(this.b[this.at])) this.at++;
  }

  expect(c: number): void {
    this.space();
    if (this.b[this.at] !== c) throw new Unusual();
    this.at++;
  }

  /** Past the string that starts here (at its opening quote). */
  string(): void {
    const b = this.b;
    let i = this.at + 1;
    for (;;) {
      const quote = b.indexOf(QUOTE, i);
      if (quote < 0) throw new Unusual();
      // Escaped when an odd number of backslashes precedes it.
      let back = quote - 1;
      while (back >= i && b[back] === BACKSLASH) back--;
      i = quote + 1;
      if ((quote - 1 - back) % 2 === 0) break;
    }
    this.at = i;
  }

  /**
   * Past the value that starts here; `compact` refuses whitespace outside strings (a row's text must stay on
   * one line and be the row as JSON.stringify would write it, give or take escapes).
   */
  value(compact: boolean): void {
    const b = this.b;
    const first = b[this.at];
    if (first === QUOTE) return this.string();
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      // A number or a literal: up to whatever ends it.
      while (this.at < b.length && !ENDS_SCALAR.has(b[this.at])) this.at++;
      return;
    }
    let depth = 0;
    for (;;) {
      const c = b[this.at];
      if (c === QUOTE) {
        this.string();
        continue;
      }
      if (c === undefined || (compact && isSpace(c))) throw new Unusual();
      this.at++;
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return;
    }
  }

  isKey(key: Buffer): boolean {
    return this.b.subarray(this.at, this.at + key.length).equals(key);
  }
}

/**
 * Each row's JSON text in a body that JSON.parse has read or will read (a body it refuses gives nonsense here,
 * never used). Null when the body is not UTF-8 (its text is not its bytes), has no `rows` array or has two, or
 * a row is not an object written compactly.
 */
export function rowTextsIn(body: Buffer): RowTexts | null {
  if (!isUtf8(body)) return null;
  const s = new Scanner(body);
  let found: Pick<RowTexts, 'starts' | 'ends'> | null = null;
  try {
    s.expect(OPEN_OBJECT);
    s.space();
    if (body[s.at] === CLOSE_OBJECT) return null;
    for (;;) {
      s.space();
      if (body[s.at] !== QUOTE) return null;
      const isRows = s.isKey(ROWS_KEY);
      s.string();
      s.expect(COLON);
      s.space();
      if (isRows) {
        if (found) return null; // JSON.parse keeps the last; rarer than worth following
        found = rowsArray(s);
      } else {
        s.value(false);
      }
      s.space();
      if (body[s.at] === CLOSE_OBJECT) break;
      s.expect(COMMA);
    }
  } catch (err) {
    if (err instanceof Unusual) return null;
    throw err;
  }
  return found && { body, ...found };
}

function rowsArray(s: Scanner): Pick<RowTexts, 'starts' | 'ends'> {
  const starts: number[] = [];
  const ends: number[] = [];
  s.expect(OPEN_ARRAY);
  s.space();
  if (s.b[s.at] === CLOSE_ARRAY) {
    s.at++;
    return { starts, ends };
  }
  for (;;) {
    s.space();
    if (s.b[s.at] !== OPEN_OBJECT) throw new Unusual();
    starts.push(s.at);
    s.value(true);
    ends.push(s.at);
    s.space();
    if (s.b[s.at] === CLOSE_ARRAY) {
      s.at++;
      return { starts, ends };
    }
    s.expect(COMMA);
  }
}
