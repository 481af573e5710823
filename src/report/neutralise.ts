// C0 controls but tab and newline, DEL, C1 controls (U+0080-U+009F: some terminals obey U+009B as CSI),
// and the bidirectional overrides that can make text read otherwise than it is ("Trojan Source").
// eslint-disable-next-line no-control-regex
const UNSAFE = /\r\n|[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Captured bytes made safe to print on a terminal: decoded as UTF-8 (invalid sequences become U+FFFD),
 * control characters shown as caret notation (ESC as ^[, so "\e[2J" prints as "^[[2J" instead of
 * clearing the screen; CR as ^M, so a line cannot overwrite itself), other invisible controls as <U+XXXX>.
 * A job's output must never be able to rewrite or disguise what the admin reads.
 */
export function neutralise(data: Uint8Array | string): string {
  const text = typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: false }).decode(data);
  return text.replace(UNSAFE, (c) => {
    if (c === '\r\n') return '\n';
    const code = c.charCodeAt(0);
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    if (code === 0x7f) return '^?';
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}
