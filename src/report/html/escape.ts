import { neutralise } from '../neutralise.ts';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attributes: nothing in it can open a tag or close a quote. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/**
 * A stored field (a job name, a host, a job's output: whoever wrote it) made safe to show: control
 * characters and invisible overrides made visible as on a terminal (shared/neutralise), then escaped.
 */
export function shown(data: string | Uint8Array): string {
  return esc(neutralise(data));
}
