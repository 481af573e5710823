/** Runs `check` with TZ set to a zone (Node re-reads it when process.env.TZ is assigned), then puts TZ back. */
export function inZone(zone: string, check: () => void): void {
  const before = process.env['TZ'];
  process.env['TZ'] = zone;
  try {
    check();
  } finally {
    if (before === undefined) delete process.env['TZ'];
    else process.env['TZ'] = before;
  }
}
