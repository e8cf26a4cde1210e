import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../src/package-root.js';

/** What is timed: bare Node as the yardstick, then the built CLI's paths that run no command. */
const CASES: Record<string, readonly string[]> = {
  bareNode: ['-e', '0'],
  help: ['CLI', '--help'],
  version: ['CLI', '--version'],
  commandHelp: ['CLI', 'scan', '--help'],
};

/**
 * The built CLI's start-up cost against bare Node (`node -e 0`): `--help`, `--version` and a
 * command's `--help` load no command module, so they should cost little more than Node itself.
 * The CLI is compiled with the build's own settings (`tsconfig.build.json`) into a temporary
 * directory; each sample is a fresh process, cases alternate so background load weighs on all
 * alike, and the machine's load average is printed with the figures.
 */
export async function benchCli(samples = 30): Promise<Record<string, number | string>[]> {
  const loadBefore = loadavg()[0] ?? 0;
  const root = packageRoot();
  const dir = await mkdtemp(join(tmpdir(), 'credwatch-bench-cli-'));
  try {
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')],
      { encoding: 'utf8' },
    );
    if (tsc.status !== 0) throw new Error(`bench cli: the build failed, nothing to measure:\n${tsc.stdout}${tsc.stderr}`);
    // The package's own manifest next to dist/, as when installed: ES modules, and the version.
    await copyFile(join(root, 'package.json'), join(dir, 'package.json'));
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
    const cli = join(dir, 'dist', 'src', 'cli.js');
    // One run first: a broken build fails here, loudly, instead of timing an error message.
    execFileSync(process.execPath, [cli, '--help'], { stdio: 'ignore' });

    const times: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((name) => [name, []]));
    for (let i = 0; i < samples; i += 1) {
      for (const [name, args] of Object.entries(CASES)) {
        const argv = args.map((a) => (a === 'CLI' ? cli : a));
        const started = performance.now();
        const run = spawnSync(process.execPath, argv, { stdio: 'ignore' });
        const elapsed = performance.now() - started;
        if (run.status !== 0) throw new Error(`bench cli: node ${argv.join(' ')} exited ${String(run.status)}`);
        times[name]!.push(elapsed);
      }
    }
    const bare = median(times['bareNode']!);
    const bareMin = Math.min(...times['bareNode']!);
    const row: Record<string, number | string> = {
      name: 'built CLI start-up vs bare node (fresh processes; ms are medians unless named min)',
      samples,
      loadAverage1m: `${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)} on ${availableParallelism()} cores`,
    };
    for (const [name, xs] of Object.entries(times)) {
      row[`${name}Ms`] = Math.round(median(xs));
      row[`${name}MinMs`] = Math.round(Math.min(...xs));
      if (name !== 'bareNode') {
        row[`${name}VsBareNode`] = Number((median(xs) / bare).toFixed(2));
        row[`${name}VsBareNodeMin`] = Number((Math.min(...xs) / bareMin).toFixed(2));
      }
    }
    return [row];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
}
