import { readFileSync } from 'node:fs';

/** When this host last booted (btime in /proc/stat), in ms since the epoch; null when unknown. */
export function bootTimeMs(statPath = '/proc/stat'): number | null {
  try {
    const match = /^btime\s+(\d+)$/m.exec(readFileSync(statPath, 'latin1'));
    return match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}
