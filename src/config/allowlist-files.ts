/**
 * Local allowlist files are configuration: a vendor whose file is missing would otherwise load
 * fine and only fail at the first scan, or pass `credwatch doctor`, while its sign-ins are matched
 * against nothing. Whether the file can be opened is checked at load time, with the vendor's name;
 * its entries are read (and checked) by the networks module when a scan resolves the allowlists.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PathSegments } from './problems.js';
import { unreadableReason, type ResolveContext } from './secrets.js';

/** The part of a vendor this check reads; valid or not, so it also runs after a schema failure. */
interface VendorSources {
  readonly name?: unknown;
  readonly allowedRanges?: unknown;
}

/** Adds a problem at `vendors[i].allowedRanges[j].path` for each local file that cannot be opened. */
export async function checkAllowlistFiles(vendors: readonly VendorSources[], ctx: ResolveContext): Promise<void> {
  const checks = vendors.flatMap((vendor, v) => {
    const sources = Array.isArray(vendor.allowedRanges) ? (vendor.allowedRanges as unknown[]) : [];
    return sources.map((source, s) => {
      const { type, path } = (source ?? {}) as { type?: unknown; path?: unknown };
      if (type !== 'file' || typeof path !== 'string' || path === '') return undefined;
      const label = typeof vendor.name === 'string' ? `vendor "${vendor.name}"` : 'this vendor';
      return checkFile(ctx, ['vendors', v, 'allowedRanges', s, 'path'], label, resolve(ctx.baseDir, path));
    });
  });
  await Promise.all(checks);
}

async function checkFile(ctx: ResolveContext, at: PathSegments, label: string, absolute: string): Promise<void> {
  try {
    // Opening proves existence and read permission; a directory opens but fails the stat below.
    const handle = await open(absolute, 'r');
    try {
      if (!(await handle.stat()).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    } finally {
      await handle.close();
    }
  } catch (e: unknown) {
    ctx.problems.add(at, `${label}: cannot read allowlist file ${absolute} (${unreadableReason(e)}); relative paths start at the config file's directory`);
  }
}
