/**
 * Writes config/credwatch.schema.json from the zod schema (`npm run schema`). A test compares the
 * committed file with {@link renderConfigJsonSchema}, so editors never see a stale schema.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from './schema.js';

/** Where the generated schema lives, relative to the repository root. */
export const SCHEMA_FILE = new URL('../../config/credwatch.schema.json', import.meta.url);

/** The file's exact contents: pretty-printed, with a final newline. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

/** Writes the schema file and returns its path. */
export async function writeConfigJsonSchema(): Promise<string> {
  await writeFile(SCHEMA_FILE, renderConfigJsonSchema(), 'utf8');
  return fileURLToPath(SCHEMA_FILE);
}

// Run as a script (npm run schema), not when imported by the test.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${await writeConfigJsonSchema()}`);
}
