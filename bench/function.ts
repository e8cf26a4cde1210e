import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root.js';
import { buildFunctionPackage } from '../src/packaging/function-package.js';

/**
 * The Function app's cold-start cost and package size. Each sample is a fresh Node process (what a
 * new Flex Consumption instance starts with) importing, in order: @azure/functions (loaded by the
 * worker in any app), our entry module (what indexing the app costs), then the chunks the first
 * invocation loads (handlers and runtime: Graph, storage, rules, report code).
 */
export async function benchFunction(samples = 9): Promise<Record<string, number | string>[]> {
  const out = await mkdtemp(join(tmpdir(), 'credwatch-bench-fn-'));
  try {
    const pkg = await buildFunctionPackage({ outDir: out });
    const chunks = await readdir(join(pkg.dir, 'dist', 'chunks'));
    const firstInvocation = chunks.filter((c) => /^(handlers|runtime)-.*\.js$/.test(c)).map((c) => `./dist/chunks/${c}`);
    const script = `
      const t0 = performance.now();
      await import('@azure/functions');
      const t1 = performance.now();
      await import('./dist/app.js');
      const t2 = performance.now();
      for (const c of ${JSON.stringify(firstInvocation)}) await import(c);
      const t3 = performance.now();
      console.log(JSON.stringify({ functions: t1 - t0, entry: t2 - t1, firstInvocation: t3 - t2 }));`;
    const runs: Array<{ functions: number; entry: number; firstInvocation: number }> = [];
    for (let i = 0; i < samples; i += 1) {
      const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: pkg.dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      runs.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as (typeof runs)[number]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const unbundled = await unbundledFirstInvocation(out, samples, median);
    return [
      {
        name: 'function cold start (median of fresh processes)',
        samples,
        azureFunctionsImportMs: Math.round(median(runs.map((r) => r.functions))),
        entryImportMs: Math.round(median(runs.map((r) => r.entry))),
        firstInvocationLoadMs: Math.round(median(runs.map((r) => r.firstInvocation))),
        unbundledFirstInvocationLoadMs: unbundled,
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

/**
 * The same first-invocation imports from plain `tsc` output resolving packages in node_modules:
 * what the bundle saves.
 */
async function unbundledFirstInvocation(out: string, samples: number, median: (xs: number[]) => number): Promise<number> {
  const root = packageRoot();
  const dir = join(out, 'tsc');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')],
    { stdio: 'ignore' },
  );
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const script = `
    await import('@azure/functions');
    await import('./dist/src/functions/app.js');
    const t = performance.now();
    await import('./dist/src/functions/handlers.js');
    await import('./dist/src/functions/runtime.js');
    console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    times.push(Number(stdout.trim().split('\n').at(-1)));
  }
  return Math.round(median(times));
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
