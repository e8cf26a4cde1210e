import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root.js';
import { buildFunctionPackage, type PackageResult } from '../src/packaging/function-package.js';

/**
 * What a worker's first invocation imports after the entry module, by path: app.ts's `load()`
 * (handlers and runtime), the Table state store `createRuntime` opens, and the handler's own
 * path (handlers.ts). The scan path serves both timers (their fan-out) and the tenant scan.
 */
const FIRST_INVOCATION = {
  scan: ['src/functions/handlers.ts', 'src/functions/runtime.ts', 'src/state/azure-table-open.ts', 'src/functions/scan.ts'],
  report: ['src/functions/handlers.ts', 'src/functions/runtime.ts', 'src/state/azure-table-open.ts', 'src/functions/report.ts'],
} as const;
type Path = keyof typeof FIRST_INVOCATION;

interface Sample {
  functions: number;
  entry: number;
  firstInvocation: number;
}

/**
 * The Function app's cold-start cost and package size. Each sample is a fresh Node process (what a
 * new Flex Consumption instance starts with) importing, in order: @azure/functions (loaded by the
 * worker in any app), our entry module (what indexing the app costs), then what the first
 * invocation of each path loads. Paths alternate so background load weighs on both alike; the
 * machine's load average is printed with the figures, and the minimum is the figure least
 * disturbed by it.
 */
export async function benchFunction(samples = 15): Promise<Record<string, number | string>[]> {
  const loadBefore = loadavg()[0] ?? 0;
  const out = await mkdtemp(join(tmpdir(), 'credwatch-bench-fn-'));
  try {
    const pkg = await buildFunctionPackage({ outDir: out });
    const runs: Record<Path, Sample[]> = { scan: [], report: [] };
    for (let i = 0; i < samples; i += 1) {
      for (const path of Object.keys(FIRST_INVOCATION) as Path[]) runs[path].push(sampleColdStart(pkg, chunksOf(pkg, FIRST_INVOCATION[path])));
    }
    const unbundled = await unbundledFirstInvocation(out, samples, FIRST_INVOCATION.scan);
    const all = [...runs.scan, ...runs.report];
    const scan = runs.scan.map((r) => r.firstInvocation);
    const report = runs.report.map((r) => r.firstInvocation);
    return [
      {
        name: 'function cold start (fresh processes; ms are medians unless named min)',
        samples,
        loadAverage1m: `${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)} on ${availableParallelism()} cores`,
        azureFunctionsImportMs: Math.round(median(all.map((r) => r.functions))),
        entryImportMs: Math.round(median(all.map((r) => r.entry))),
        firstInvocationLoadMs: Math.round(Math.max(median(scan), median(report))),
        scanPathLoadMs: Math.round(median(scan)),
        scanPathLoadMinMs: Math.round(Math.min(...scan)),
        reportPathLoadMs: Math.round(median(report)),
        reportPathLoadMinMs: Math.round(Math.min(...report)),
        unbundledScanPathLoadMs: unbundled,
        zipKiB: Math.round(pkg.zipBytes / 1024),
        unpackedKiB: Math.round((await dirSize(pkg.dir)) / 1024),
        bundleKiB: Math.round(pkg.bundleBytes / 1024),
        files: pkg.files,
      },
    ];
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** The package files of `modules`; fails when one is no longer imported lazily, so the figures never silently measure less. */
function chunksOf(pkg: PackageResult, modules: readonly string[]): string[] {
  return modules.map((m) => {
    const chunk = pkg.entryChunks[m];
    if (!chunk) throw new Error(`bench function: ${m} is not loaded lazily by the package any more; update FIRST_INVOCATION in bench/function.ts`);
    return `./${chunk}`;
  });
}

function sampleColdStart(pkg: PackageResult, chunks: readonly string[]): Sample {
  const script = `
    const t0 = performance.now();
    await import('@azure/functions');
    const t1 = performance.now();
    await import('./dist/app.js');
    const t2 = performance.now();
    for (const c of ${JSON.stringify(chunks)}) await import(c);
    const t3 = performance.now();
    console.log(JSON.stringify({ functions: t1 - t0, entry: t2 - t1, firstInvocation: t3 - t2 }));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample;
}

/**
 * The same first-invocation imports from plain `tsc` output resolving packages in node_modules:
 * what the bundle saves.
 */
async function unbundledFirstInvocation(out: string, samples: number, modules: readonly string[]): Promise<number> {
  const root = packageRoot();
  const dir = join(out, 'tsc');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')],
    { stdio: 'ignore' },
  );
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const files = modules.map((m) => `./dist/${m.replace(/\.ts$/, '.js')}`);
  const script = `
    await import('@azure/functions');
    await import('./dist/src/functions/app.js');
    const t = performance.now();
    for (const f of ${JSON.stringify(files)}) await import(f);
    console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    times.push(Number(stdout.trim().split('\n').at(-1)));
  }
  return Math.round(median(times));
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const s = await stat(path);
    total += s.isDirectory() ? await dirSize(path) : s.size;
  }
  return total;
}
