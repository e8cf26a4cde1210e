/**
 * Loads the fixtures under test/fixtures: Microsoft's reference examples (see
 * test/fixtures/microsoft/README.md for the page each one comes from) and the real OTRF rows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isObject, type Json } from '../../src/collect/values.js';

/** One example as stored: the published body plus where it came from. */
export interface MicrosoftExample {
  source: string;
  sourceFile: string;
  request: string | null;
  status: number | null;
  headers?: Record<string, string>;
  requestBody?: unknown;
  response: unknown;
  edits?: string[];
  notes?: string[];
}

const MICROSOFT = fileURLToPath(new URL('../fixtures/microsoft/', import.meta.url));
const REAL = fileURLToPath(new URL('../fixtures/real/', import.meta.url));

/** The example at `test/fixtures/microsoft/<path>`. */
export function example(path: string): MicrosoftExample {
  return JSON.parse(readFileSync(join(MICROSOFT, path), 'utf8')) as MicrosoftExample;
}

/** Every example, by its path below test/fixtures/microsoft (sorted). */
export function allExamples(): Array<{ path: string; example: MicrosoftExample }> {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json')) out.push(relative(MICROSOFT, full).split('\\').join('/'));
    }
  };
  walk(MICROSOFT);
  return out.sort().map((path) => ({ path, example: example(path) }));
}

/** The examples of one endpoint folder, e.g. `signins`. */
export function examplesIn(folder: string): Array<{ path: string; example: MicrosoftExample }> {
  return allExamples().filter((e) => e.path.startsWith(`${folder}/`));
}

/** The body as a JSON object (throws when the example has none). */
export function body(e: MicrosoftExample): Json {
  if (!isObject(e.response)) throw new Error(`example from ${e.source} has no JSON object body`);
  return e.response;
}

/** The `value` rows of a collection response. */
export function rows(e: MicrosoftExample): Json[] {
  const value = body(e).value;
  if (!Array.isArray(value) || !value.every(isObject)) throw new Error(`example from ${e.source} has no value array of objects`);
  return value;
}

/** The only row of a one-row collection response. */
export function onlyRow(e: MicrosoftExample): Json {
  const all = rows(e);
  if (all.length !== 1 || !all[0]) throw new Error(`example from ${e.source} has ${all.length} rows, expected 1`);
  return all[0];
}

/** The bytes of a file under test/fixtures/real. */
export function realFile(path: string): Buffer {
  return readFileSync(join(REAL, path));
}
