/**
 * The deployable package as Azure would receive it: the zip is read back by an independent
 * implementation (Python's zipfile), extracted to a directory with no access to the repository's
 * node_modules, and its entry module is imported by a fresh Node process the way the Functions
 * worker imports it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionPackage, type PackageResult } from '../../src/packaging/function-package.js';
import { createZip } from '../../src/packaging/zip.js';

let out: string;
let pkg: PackageResult;
let extracted: string;

const python = (code: string, ...args: string[]) => execFileSync('python3', ['-c', code, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'credwatch-package-'));
  const source = await mkdtemp(join(tmpdir(), 'credwatch-package-src-'));
  await writeFile(join(source, 'credwatch.json'), JSON.stringify({ tenants: [], state: { type: 'azureTable' } }));
  await mkdir(join(source, 'vendors'));
  await writeFile(join(source, 'vendors', 'mimecast.txt'), '205.139.110.0/24\n');
  pkg = await buildFunctionPackage({ outDir: out, config: join(source, 'credwatch.json'), include: [join(source, 'vendors')] });
  extracted = join(out, 'extracted');
  python('import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', pkg.zip, extracted);
}, 120_000);

describe('the Function app package', () => {
  it('is a valid zip holding host.json, the manifest, the bundle, @azure/functions, the config and included files', async () => {
    const names = JSON.parse(
      python('import sys, json, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps(z.namelist()))', pkg.zip),
    ) as string[];
    expect(names).toContain('host.json');
    expect(names).toContain('package.json');
    expect(names).toContain('dist/app.js');
    expect(names).toContain('node_modules/@azure/functions/package.json');
    expect(names).toContain('credwatch.json');
    expect(names).toContain('vendors/mimecast.txt');
    expect(names.some((n) => n.includes('better-sqlite3'))).toBe(false);
    expect(names).toHaveLength(pkg.files);

    const manifest = JSON.parse(await readFile(join(extracted, 'package.json'), 'utf8')) as {
      main: string;
      type: string;
      dependencies: Record<string, string>;
    };
    expect(manifest).toMatchObject({ main: 'dist/app.js', type: 'module' });
    expect(Object.keys(manifest.dependencies)).toEqual(['@azure/functions']);
    const host = JSON.parse(await readFile(join(extracted, 'host.json'), 'utf8')) as { version: string; extensions: { queues: { maxDequeueCount: number } } };
    expect(host.version).toBe('2.0');
    expect(host.extensions.queues.maxDequeueCount).toBe(5);
  });

  it('registers the four functions when the worker imports it, and loads every chunk without the repository', async () => {
    const chunks = (await readdir(join(extracted, 'dist', 'chunks'))).filter((c) => c.endsWith('.js') && !c.startsWith('sqlite-'));
    const script = `await import('./dist/app.js'); for (const c of ${JSON.stringify(chunks)}) await import('./dist/chunks/' + c); console.log('loaded');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: extracted, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout.trim()).toBe('loaded');
    // Outside the host, @azure/functions names each registration it skips: all four were attempted.
    for (const name of ['scanTimer', 'scanTenant', 'reportTimer', 'reportTenant']) expect(run.stderr).toContain(`"${name}"`);
  });

  it('keeps the scan and the report paths in files of their own, imported only by the invocations that need them', () => {
    expect(pkg.entryChunks['src/functions/app.ts']).toBe('dist/app.js');
    for (const lazy of ['src/functions/handlers.ts', 'src/functions/runtime.ts', 'src/functions/scan.ts', 'src/functions/report.ts']) {
      expect(pkg.entryChunks[lazy]).toMatch(/^dist\/chunks\/[\w-]+\.js$/);
    }
    expect(pkg.entryChunks['src/functions/scan.ts']).not.toBe(pkg.entryChunks['src/functions/report.ts']);
  });

  it('keeps every function registered when a schedule setting is not 6-field NCRONTAB (the timer runs on its default and says so)', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('./dist/app.js'); console.log('loaded')"], {
      cwd: extracted,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', CREDWATCH_SCAN_SCHEDULE: '*/15 * * * *' },
    });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('loaded');
    for (const name of ['scanTimer', 'scanTenant', 'reportTimer', 'reportTenant']) expect(run.stderr).toContain(`"${name}"`);
  });
});

describe('the zip writer', () => {
  it('writes archives another implementation reads back byte for byte, compressed or stored', () => {
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    const entries = [
      { name: 'a.txt', data: Buffer.from('hello '.repeat(1000)) },
      { name: 'dir/ü-名前.bin', data: random },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    const file = join(tmpdir(), `credwatch-zip-${process.pid}.zip`);
    execFileSync('python3', ['-c', 'import sys; open(sys.argv[1], "wb").write(sys.stdin.buffer.read())', file], { input: createZip(entries) });
    const read = JSON.parse(
      python(
        'import sys, json, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(json.dumps({i.filename: [z.read(i).hex(), i.compress_type] for i in z.infolist()}))',
        file,
      ),
    ) as Record<string, [string, number]>;
    expect(Object.keys(read)).toEqual(entries.map((e) => e.name));
    for (const e of entries) expect(read[e.name]![0]).toBe(e.data.toString('hex'));
    expect(read['a.txt']![1]).toBe(8);
  });

  it('is reproducible: the same files give the same bytes', () => {
    const entries = [{ name: 'x.js', data: Buffer.from('export {}') }];
    expect(createZip(entries).equals(createZip(entries))).toBe(true);
  });

  it('refuses entry names that would escape the extraction directory', () => {
    expect(() => createZip([{ name: '../evil', data: Buffer.alloc(1) }])).toThrow(/relative/);
    expect(() => createZip([{ name: '/abs', data: Buffer.alloc(1) }])).toThrow(/relative/);
  });
});
