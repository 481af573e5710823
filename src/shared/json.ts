/** Parses JSON read back from storage or a file: undefined when the text is not JSON, never a throw. */
export function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
