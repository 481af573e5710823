/**
 * A bounded record of a stream: the first half of `limit` bytes and the last half, however much passes
 * through. Memory stays at `limit` bytes whatever the command prints.
 */
export class OutputCapture {
  private readonly head: Buffer;
  private headLength = 0;
  private readonly tail: Buffer;
  /** Where the next tail byte goes; the ring is full once `total` exceeds head and tail together. */
  private tailPos = 0;
  private tailLength = 0;
  total = 0;

  constructor(limit: number) {
    this.head = Buffer.alloc(Math.ceil(limit / 2));
    this.tail = Buffer.alloc(limit - this.head.length);
  }

  /** Takes one chunk of output. */
  write(chunk: Uint8Array): void {
    this.total += chunk.length;
    let offset = 0;
    if (this.headLength < this.head.length) {
      offset = Math.min(chunk.length, this.head.length - this.headLength);
      this.head.set(chunk.subarray(0, offset), this.headLength);
      this.headLength += offset;
    }
    const rest = chunk.subarray(offset);
    const size = this.tail.length;
    if (rest.length === 0 || size === 0) return;
    if (rest.length >= size) {
      this.tail.set(rest.subarray(rest.length - size));
      this.tailPos = 0;
      this.tailLength = size;
      return;
    }
    const first = Math.min(rest.length, size - this.tailPos);
    this.tail.set(rest.subarray(0, first), this.tailPos);
    this.tail.set(rest.subarray(first), 0);
    this.tailPos = (this.tailPos + rest.length) % size;
    this.tailLength = Math.min(size, this.tailLength + rest.length);
  }

  /** Bytes that passed through but are not kept. */
  get cut(): number {
    return this.total - this.headLength - this.tailLength;
  }

  /** The kept bytes: head, a marker line naming the bytes cut (when any), tail. */
  kept(): Buffer {
    const head = this.head.subarray(0, this.headLength);
    const tail = this.tailLength < this.tail.length
      ? this.tail.subarray(0, this.tailLength)
      : Buffer.concat([this.tail.subarray(this.tailPos), this.tail.subarray(0, this.tailPos)]);
    if (this.cut === 0) return Buffer.concat([head, tail]);
    const before = head.length > 0 && head[head.length - 1] !== 0x0a ? '\n' : '';
    return Buffer.concat([head, Buffer.from(`${before}[... ${this.cut} bytes cut ...]\n`), tail]);
  }
}
