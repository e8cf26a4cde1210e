import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root.js';

/** A build of credwatch in a temporary directory, laid out as an installed package. */
export interface BenchBuild {
  /** The package directory: `package.json`, `node_modules` (a link) and `dist/`. */
  dir: string;
  /** The compiled JavaScript of a bench entry given to {@link buildWithEntries}, e.g. `bench/scan-child.ts`. */
  entry(source: string): string;
}

/**
 * Compiles `src/` exactly as `npm run build` does (tsconfig.build.json: same compiler, options and
 * module format), plus the given bench entries and what they import, into a temporary directory,
 * so a benchmark can run credwatch's built JavaScript under plain `node` — as the CLI and the
 * Function app ship — without touching the checkout's `dist/`. Throws when the build fails, so
 * nothing is measured on stale or missing output.
 */
export async function buildWithEntries(entries: readonly string[]): Promise<BenchBuild> {
  const root = packageRoot();
  const dir = await mkdtemp(join(tmpdir(), 'credwatch-bench-build-'));
  // The manifest makes dist/ ES modules and lets packageRoot() find it; node_modules resolves both
  // the compiler's types and the runtime's dependencies.
  await copyFile(join(root, 'package.json'), join(dir, 'package.json'));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  const tsconfig = join(dir, 'tsconfig.bench.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.build.json'),
      compilerOptions: { rootDir: root, outDir: join(dir, 'dist') },
      include: [join(root, 'src', '**', '*.ts'), ...entries.map((e) => join(root, e))],
      exclude: [join(root, 'src', '**', '*.test.ts')],
    }),
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`bench: the build failed, nothing to measure:\n${tsc.stdout}${tsc.stderr}`);
  return { dir, entry: (source) => join(dir, 'dist', source.replace(/\.ts$/, '.js')) };
}
