// Injected by esbuild into the CommonJS bundle: yargs is ESM-only and locates itself with
// import.meta.url, which CommonJS lacks; this gives it the bundle's own URL instead.
import { pathToFileURL } from 'node:url';

export const import_meta_url = pathToFileURL(__filename).href;
