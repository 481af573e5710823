import { neutraliseLine } from '../shared/neutralise.ts';

/** One sample of a metric: its labels and value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** A metric family: name, HELP text, TYPE, samples. */
export interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Sample[];
}

/** A label value as the exposition format wants it: backslash, double quote and newline escaped. */
export function escapeLabel(value: string): string {
  // A stored job name may hold control characters (no name cronguard writes does): shown, never obeyed.
  return neutraliseLine(value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n'));
}

/** HELP text escaping: backslash and newline (quotes stay as they are there). */
export function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

/** A sample value: integers as they are, NaN and infinities spelled as Prometheus spells them. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

/** Metrics in the Prometheus text exposition format (version 0.0.4), HELP and TYPE before each family. */
export function exposition(metrics: readonly Metric[]): string {
  const lines: string[] = [];
  for (const m of metrics) {
    lines.push(`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
      lines.push(`${m.name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
