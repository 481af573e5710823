import { badOption } from './errors.ts';

const UNIT_BYTES: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1000, kib: 1024,
  m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
};
const SIZE = /^(\d+)\s*([a-z]*)$/i;

/** Bytes in a size like `1000`, `64KiB`, `1MiB` or `1MB`; undefined when it is not one. */
export function sizeBytes(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  const unit = UNIT_BYTES[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) return undefined;
  const bytes = Number(match[1]) * unit;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Parses an option's size, refusing a malformed value or one outside [minBytes, maxBytes]. */
export function parseSize(option: string, text: string, minBytes: number, maxBytes: number): number {
  const bytes = sizeBytes(text);
  if (bytes === undefined) throw badOption(option, text, 'expected a size such as 1000, 64KiB, 1MiB or 1MB');
  if (bytes < minBytes || bytes > maxBytes) {
    throw badOption(option, text, `must be between ${minBytes} bytes and ${maxBytes / 1024 ** 2} MiB`);
  }
  return bytes;
}
