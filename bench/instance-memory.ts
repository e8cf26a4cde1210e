import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The memory of one Function app instance: the Azure template's default `instanceMemoryMB`
 * (config/azure/main.bicep; Flex Consumption offers 512, 2048 and 4096 MB, see
 * https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#instance-memory).
 */
export const INSTANCE_MEMORY_MB = 2048;

/** Where a bench child runs: inside a memory cgroup like a Function instance's, or on the bare machine. */
export interface MemoryBox {
  /** How the row describes it. */
  readonly label: string;
  /** The command prefix that starts a process inside the box (empty: the bare machine). */
  wrap(command: string, args: readonly string[]): { command: string; args: string[] };
  remove(): void;
}

const V1 = '/sys/fs/cgroup/memory';
const V2 = '/sys/fs/cgroup';

/**
 * Why this matters for the figure: Node sizes V8's heap from the memory it may use — the cgroup
 * limit when there is one (`process.constrainedMemory()`, https://nodejs.org/api/process.html) —
 * and V8 lets the old generation grow lazily, towards a multiple of the live heap that rises with
 * the heap limit. On this 24 GiB machine Node allows a 4 GiB heap and a scan whose live heap stays
 * at 35–42 MiB peaks near 290 MiB RSS; inside a 2048 MB instance Node allows about 1 GiB and the
 * same scan peaks near 210 MiB. The instance is what credwatch ships on, so the bench measures
 * there: a memory cgroup of the instance's size, when this machine lets us create one (root with
 * cgroup v1, or v2 with the memory controller delegated). Otherwise the row says it ran unboxed.
 */
export function instanceMemoryBox(megabytes = INSTANCE_MEMORY_MB): MemoryBox {
  const name = `credwatch-bench-${process.pid}`;
  const bytes = String(megabytes * 1024 * 1024);
  const attempts: Array<{ dir: string; limitFile: string }> = [
    { dir: join(V1, name), limitFile: 'memory.limit_in_bytes' },
    { dir: join(V2, name), limitFile: 'memory.max' },
  ];
  for (const { dir, limitFile } of attempts) {
    if (!existsSync(join(dir, '..', limitFile === 'memory.max' ? 'cgroup.subtree_control' : 'memory.limit_in_bytes'))) continue;
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, limitFile), bytes);
      if (readFileSync(join(dir, limitFile), 'utf8').trim() !== bytes) throw new Error('limit not applied');
      const procs = join(dir, 'cgroup.procs');
      return {
        label: `${megabytes} MB memory cgroup (a Function instance's default)`,
        // The shell joins the cgroup, then becomes the node process: node starts inside it.
        wrap: (command, args) => ({ command: '/bin/sh', args: ['-c', 'echo $$ > "$0" && exec "$@"', procs, command, ...args] }),
        remove: () => {
          try {
            rmdirSync(dir);
          } catch {
            // A cgroup with a process still in it cannot go; the kernel frees it when empty.
          }
        },
      };
    } catch {
      try {
        rmdirSync(dir);
      } catch {
        // Never created.
      }
    }
  }
  return {
    label: 'none: this machine lets no memory cgroup be created, so V8 sizes its heap from all its memory',
    wrap: (command, args) => ({ command, args: [...args] }),
    remove: () => undefined,
  };
}
