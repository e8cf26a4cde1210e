import { benchCli } from './cli.js';
import { benchFunction } from './function.js';
import { benchInventory } from './inventory.js';
import { benchMatcher } from './matcher.js';
import { benchScan } from './scan.js';
import { benchTableStore } from './table-store.js';

/**
 * `npm run bench [name…]`: prints each benchmark's figures. Timings are measured here, never
 * asserted in tests. Names: matcher, inventory, scan, function, cli, table.
 */
const BENCHES: Record<string, () => Promise<Record<string, number | string>[]>> = {
  matcher: async () => benchMatcher(),
  inventory: async () => [await benchInventory(10_000), await benchInventory(100_000)],
  scan: async () => [await benchScan(100_000), await benchScan(1_000_000)],
  function: async () => benchFunction(),
  cli: async () => benchCli(),
  table: async () => benchTableStore(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exitCode = 2;
    continue;
  }
  console.log(`\n## ${name}`);
  try {
    for (const row of await bench()) console.log(JSON.stringify(row));
  } catch (e: unknown) {
    // A benchmark that cannot measure what it claims (missing data, a failed build) says why and
    // fails the run; the others still run, so one missing file does not hide every figure.
    console.error(`bench ${name} FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
