/**
 * The import graph of `src/`, read from the source text: every static `import … from`, `export …
 * from` and dynamic `import('…')` of a relative module. Type-only imports count too: a layer that
 * names another's types depends on it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportEdge {
  /** Importing file, relative to src/ (`scan/index.ts`). */
  from: string;
  /** Imported file, relative to src/ (`graph/client.ts`). */
  to: string;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import between files of `srcDir`. Unit tests next to the code are left out. */
export function importEdges(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(srcDir)) {
    if (file.endsWith('.test.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (!specifier) continue;
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      edges.push({ from: relative(srcDir, file), to: relative(srcDir, target) });
    }
  }
  return edges;
}

/** The folder a file belongs to: its first path segment, or `.` for files at the top of src/. */
export function layerOf(file: string): string {
  const first = file.split(/[\\/]/)[0] ?? '';
  return file.includes('/') || file.includes('\\') ? first : '.';
}

/** Folder-level dependency cycles, each as the list of folders around it. */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = layerOf(from);
    const b = layerOf(to);
    if (a === b || a === '.' || b === '.') continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)?.add(b);
  }
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const start of graph.keys()) {
    const stack: Array<{ node: string; path: string[] }> = [{ node: start, path: [start] }];
    while (stack.length > 0) {
      const { node, path } = stack.pop() as { node: string; path: string[] };
      for (const next of graph.get(node) ?? []) {
        if (next === start) {
          const key = [...path].sort().join('>');
          if (!seen.has(key)) {
            seen.add(key);
            cycles.push([...path, start]);
          }
        } else if (!path.includes(next) && next > start) {
          stack.push({ node: next, path: [...path, next] });
        }
      }
    }
  }
  return cycles;
}
