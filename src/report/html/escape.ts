import { neutralise, neutraliseLine, textOf } from '../../shared/neutralise.ts';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attributes: nothing in it can open a tag or close a quote. */
export function esc(text: string): string {
  // The types say text; a stored value of another kind (a BLOB status) is escaped as its text.
  return textOf(text).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/**
 * A stored field (a job name, a host, a message: whoever wrote it) made safe to show on one line: control
 * characters and invisible overrides made visible as on a terminal (shared/neutralise), then escaped.
 */
export function shown(text: string): string {
  return esc(neutraliseLine(text));
}

/** A job's captured output made safe to show: as `shown`, but its lines and tabs kept. */
export function shownOutput(data: Uint8Array): string {
  return esc(neutralise(data));
}
