import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/** Debian's chromium (.ci/run installs it); null when this machine has none. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null;

/** Whether a missing browser fails the tests instead of skipping them (CI sets it, as root installs it). */
export const CHROMIUM_REQUIRED = process.env['CRONGUARD_CHROMIUM'] === 'required';

/** Runs headless chromium on a local file with a fresh profile and no network of its own; its stdout. */
function chromium(args: string[]): string {
  if (!CHROMIUM) throw new Error('chromium is not installed');
  const profile = mkdtempSync(join(tmpdir(), 'cronguard-chromium-'));
  try {
    const r = spawnSync(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args,
    ], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The DOM chromium built from a file, serialised after parsing (what a reader's browser would hold). */
export function renderedDom(file: string): string {
  return chromium(['--dump-dom', `file://${file}`]);
}

/** A PNG screenshot of a file at a window size. */
export function screenshot(file: string, png: string, width: number, height: number): void {
  chromium([`--screenshot=${png}`, `--window-size=${width},${height}`, `file://${file}`]);
}

/** The pixels of an 8-bit RGB or RGBA PNG (non-interlaced), decoded with node:zlib. */
export function decodePng(path: string): { width: number; height: number; channels: number; pixels: Uint8Array } {
  const data = readFileSync(path);
  if (data.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error(`${path}: not a PNG`);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < data.length;) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    const body = data.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`${path}: unsupported PNG (depth ${depth}, colour ${colour})`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] as number) : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter] ?? 0;
      pixels[y * stride + x] = ((line[x] as number) + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** How a picture's pixels vary: the spread of their brightness, and the share that is not background white. */
export function pixelSpread(png: ReturnType<typeof decodePng>): { stddev: number; inked: number; colours: number } {
  const { pixels, channels } = png;
  const count = pixels.length / channels;
  let sum = 0;
  let squares = 0;
  let inked = 0;
  const colours = new Set<number>();
  for (let i = 0; i < pixels.length; i += channels) {
    const [r, g, b] = [pixels[i] as number, pixels[i + 1] as number, pixels[i + 2] as number];
    const light = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += light;
    squares += light * light;
    if (light < 240) inked++;
    if (colours.size < 10_000) colours.add((r << 16) | (g << 8) | b);
  }
  const mean = sum / count;
  return { stddev: Math.sqrt(Math.max(0, squares / count - mean * mean)), inked: inked / count, colours: colours.size };
}
