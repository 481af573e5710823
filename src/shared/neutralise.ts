// C0 controls, DEL, C1 controls (U+0080-U+009F: some terminals obey U+009B as CSI), and the invisible
// format characters that can make text read otherwise than it is: bidirectional overrides and isolates
// ("Trojan Source"), marks, the line and paragraph separators, zero-width characters and the BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE = /\r\n|[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// The same, but tab and newline pass: captured output keeps its lines.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_LINES = /\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** How one unsafe character is shown: caret notation for C0 and DEL (ESC as ^[), <U+XXXX> for the rest. */
function shown(c: string, keepLines: boolean): string {
  if (c === '\r\n') return keepLines ? '\n' : '^M^J';
  const code = c.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return '^?';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * The one neutraliser (SPEC §9): text made safe to print on a terminal, whoever wrote it. Bytes are
 * decoded as UTF-8 (invalid sequences become U+FFFD); control characters are shown in caret notation
 * ("\e[2J" prints as "^[[2J" instead of clearing the screen; CR as ^M, so a line cannot overwrite itself)
 * and other invisible controls as <U+XXXX>. Captured output keeps its newlines and tabs.
 */
export function neutralise(data: Uint8Array | string): string {
  return textOf(data).replace(UNSAFE_IN_LINES, (c) => shown(c, true));
}

/**
 * A stored value where text belongs, as text: SQLite keeps whatever was written (a BLOB from the sqlite3
 * shell, a number), and what is read back must still print, escape and compare as a string.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder('utf-8', { fatal: false }).decode(value);
  return String(value);
}

/** A field (a job name, a host, a message) as one safe line: newlines and tabs are shown too. */
export function neutraliseLine(text: string): string {
  // The types say text; a stored field of another kind is printed as its text, never a crash.
  return textOf(text).replace(UNSAFE, (c) => shown(c, false));
}

/**
 * Every string inside a value (records, lists, plain objects) as one safe line, the rest as it is; byte
 * buffers (captured output) are left to the view, which decides whether they are shown or passed on.
 * Human views put what they read from storage through this before they print any of it.
 */
export function safeFields<T>(value: T): T {
  if (typeof value === 'string') return neutraliseLine(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => safeFields(v)) as T;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof Date) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  // Keys too: a record keyed by stored text (failures by status) shows its keys.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [neutraliseLine(k), safeFields(v)])) as T;
}

/**
 * JSON text with the characters JSON.stringify leaves raw that a terminal could obey (DEL, C1, bidi and
 * the other invisible ones) written as \uXXXX escapes: the same JSON value, safe to print on one line.
 */
export function jsonSafe(json: string): string {
  return json.replace(UNSAFE, (c) => (c === '\r\n' ? '\\r\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A value quoted for a message, JSON-style, always on one line and safe on a terminal. */
export function quote(value: string): string {
  return jsonSafe(JSON.stringify(value));
}
