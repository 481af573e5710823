import { badOption } from './errors.ts';

/** Parses a whole number option within [min, max]. */
export function parseCount(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw badOption(option, text, 'expected a whole number');
  const n = Number(text);
  if (n < min || n > max) throw badOption(option, text, `must be between ${min} and ${max}`);
  return n;
}
