/**
 * `npm run package:function -- [--config FILE] [--include DIR]… [--out DIR]`: builds the Azure
 * Functions deployment package. credwatch is bundled into one ES module (plus lazily loaded chunks)
 * so a cold start reads a few files instead of thousands under node_modules; only @azure/functions
 * stays a real package, because the Functions worker loads the app's own copy of it.
 *
 * Layout (`dist/function/`, zipped to `dist/credwatch-function.zip`):
 *   host.json, package.json, dist/app.js (+ dist/chunks/), node_modules/@azure/functions…,
 *   credwatch.json (from --config) and any --include directories, paths kept.
 */
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../package-root.js';
import { createZip, type ZipEntry } from './zip.js';

export interface PackageOptions {
  /** The user's credwatch configuration, copied as `credwatch.json`. */
  config?: string;
  /** Directories copied into the package by name (e.g. allowlist files the config points at). */
  include?: readonly string[];
  /** Output directory; `<repo>/dist`. */
  outDir?: string;
}

export interface PackageResult {
  dir: string;
  zip: string;
  zipBytes: number;
  files: number;
  bundleBytes: number;
  /**
   * The file that loads each entry module, by source path: the app's (`src/functions/app.ts` →
   * `dist/app.js`) and every module imported lazily (`src/functions/scan.ts` →
   * `dist/chunks/scan-….js`), relative to `dir`. What an invocation imports, for the benchmark.
   */
  entryChunks: Record<string, string>;
}

/** The worker provides @azure/functions-core; better-sqlite3 is never loaded in the Function app. */
const EXTERNAL = ['@azure/functions', '@azure/functions-core', 'better-sqlite3'];

/** Packages the worker loads from node_modules at run time: @azure/functions and what it depends on. */
const RUNTIME_PACKAGES = ['@azure/functions'];

export async function buildFunctionPackage(options: PackageOptions = {}): Promise<PackageResult> {
  const root = packageRoot();
  const outDir = options.outDir ?? join(root, 'dist');
  const dir = join(outDir, 'function');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'dist'), { recursive: true });

  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: join(root, 'src', 'functions', 'app.ts') },
    outdir: join(dir, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Whitespace and syntax only: identifiers keep their names, so stack traces that reach
    // Application Insights read as the source does. Minified identifiers with `keepNames` read the
    // same, but restore each name by a `__name()` call per function and class run at import: that
    // cost the first invocation ~25 ms (`npm run bench function`) to save 63 KiB of zip.
    minifyWhitespace: true,
    minifySyntax: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL,
    // Bundled CommonJS dependencies call require(); an ES module has none unless we make one.
    banner: { js: "import { createRequire as __credwatchRequire } from 'node:module'; const require = __credwatchRequire(import.meta.url);" },
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
  });
  const bundleBytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  const entryChunks: Record<string, string> = {};
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    // Metafile paths are relative to absWorkingDir (the repository) and always use forward slashes.
    if (meta.entryPoint) entryChunks[meta.entryPoint] = relative(dir, join(root, output)).split(sep).join('/');
  }

  await cp(join(root, 'config', 'functions', 'host.json'), join(dir, 'host.json'));
  await cp(join(root, 'config', 'functions', '.funcignore'), join(dir, '.funcignore'));
  const own = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string; engines: Record<string, string> };
  const dependencies: Record<string, string> = {};
  for (const name of await runtimeClosure(root, RUNTIME_PACKAGES)) {
    const pkg = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
    if (RUNTIME_PACKAGES.includes(name)) dependencies[name] = pkg.version;
    await cp(join(root, 'node_modules', name), join(dir, 'node_modules', name), { recursive: true });
  }
  const manifest = {
    name: 'credwatch-function',
    version: own.version,
    private: true,
    type: 'module',
    main: 'dist/app.js',
    engines: { node: '>=20' },
    dependencies,
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  if (options.config) await cp(options.config, join(dir, 'credwatch.json'));
  for (const include of options.include ?? []) await cp(include, join(dir, basename(include)), { recursive: true });

  const entries: ZipEntry[] = [];
  for (const file of await listFiles(dir)) entries.push({ name: relative(dir, file).split(sep).join('/'), data: await readFile(file) });
  const zipPath = join(outDir, 'credwatch-function.zip');
  const zip = createZip(entries);
  await writeFile(zipPath, zip);
  return { dir, zip: zipPath, zipBytes: zip.length, files: entries.length, bundleBytes, entryChunks };
}

/** `names` and every package they depend on, as installed (hoisted) in the repo's node_modules. */
async function runtimeClosure(root: string, names: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const pkg = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    queue.push(...Object.keys(pkg.dependencies ?? {}));
  }
  return [...seen].sort();
}

/** Every file under `dir`, sorted, so the archive is the same for the same tree. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

/** Command line: flags as in the header comment. */
export async function main(argv: readonly string[]): Promise<void> {
  const options: { config?: string; include: string[]; outDir?: string } = { include: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === '--config' || flag === '--include' || flag === '--out') && value !== undefined) {
      if (flag === '--config') options.config = value;
      else if (flag === '--include') options.include.push(value);
      else options.outDir = value;
      i += 1;
    } else {
      throw new Error(`unknown or incomplete option ${String(flag)}; usage: package:function -- [--config FILE] [--include DIR]… [--out DIR]`);
    }
  }
  const result = await buildFunctionPackage(options);
  console.log(`package: ${result.dir} (${result.files} files)`);
  console.log(`zip: ${result.zip} (${(result.zipBytes / 1024).toFixed(0)} KiB; bundle ${(result.bundleBytes / 1024).toFixed(0)} KiB)`);
  if (!options.config) console.log('no --config given: set CREDWATCH_CONFIG in the app settings or add credwatch.json before deploying');
}
