/** A growing byte buffer for ASCII JSON; byte loops beat native calls at these lengths. */
export class JsonBytes {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Only for ASCII text (JSON punctuation, numbers, a base64 token). */
  ascii(text: string): void {
    this.reserve(text.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  bytes(bytes: Buffer): void {
    this.reserve(bytes.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < bytes.length; i++) buffer[at++] = bytes[i];
    this.length = at;
  }

  /** As JSON.stringify writes a number, and NaN as the string "NaN" (MLflow's JSON). */
  number(value: number): void {
    if (!Number.isSafeInteger(value)) {
      if (Number.isNaN(value)) this.ascii('"NaN"');
      else this.ascii(Number.isFinite(value) ? String(value) : 'null');
      return;
    }
    // Integers (timestamps, steps) digit by digit: no string per number, and int32 arithmetic
    // (a 13-digit timestamp as two int32 halves; % on doubles is a slow call).
    this.reserve(17);
    let rest = value;
    if (rest < 0) {
      this.buffer[this.length++] = 0x2d;
      rest = -rest;
    }
    if (rest < 2 ** 31) {
      this.int32(rest, 0);
      return;
    }
    let high = Math.floor(rest / 1e9);
    let low = rest - high * 1e9;
    if (low < 0) {
      high -= 1;
      low += 1e9;
    }
    this.int32(high, 0);
    this.int32(low, 9);
  }

  /** A non-negative int32's digits, left-padded with zeros to `width`. */
  private int32(value: number, width: number): void {
    let digits = 1;
    for (let power = 10; power <= value; power *= 10) digits++;
    if (digits < width) digits = width;
    let at = this.length + digits;
    this.length = at;
    let rest = value;
    for (let i = 0; i < digits; i++) {
      const quotient = (rest / 10) | 0;
      this.buffer[--at] = 0x30 + rest - quotient * 10;
      rest = quotient;
    }
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(more: number): void {
    if (this.length + more <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + more));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
