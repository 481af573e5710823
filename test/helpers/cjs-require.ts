import { createRequire } from 'node:module';

// src/store/sqlite/database.ts loads better-sqlite3 with require() (the CLI bundle is CommonJS); a test
// bundle is ESM, so a test that opens a store in-process imports this module first to provide it.
(globalThis as { require?: NodeJS.Require }).require ??= createRequire(import.meta.url);
