/**
 * Files and directories only the account credwatch runs as may read: its state holds every
 * watermark, alert and tenant detail, and its alert log and reports name the apps at risk. The
 * modes are set explicitly after creating, because the mode given to open(2) and mkdir(2) is
 * masked by the process umask (https://nodejs.org/api/fs.html#file-modes), which is 022 on most
 * systems and would leave them world-readable. Windows ignores these modes (only the read-only bit
 * exists there); the directory's ACL decides.
 *
 * Only what credwatch creates is changed: an existing file or directory keeps the mode its owner
 * gave it (a log shipper may be meant to read alerts.jsonl).
 */
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { chmod, mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';

/** Read and write for the owner only. */
export const PRIVATE_FILE_MODE = 0o600;
/** List, enter and create for the owner only. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * The directories `mkdir -p dir` created, from the first (as `mkdir` with `recursive` reports it)
 * down to `dir`, so each gets its mode and no directory that existed before is touched.
 */
function createdChain(first: string | undefined, dir: string): string[] {
  if (first === undefined) return [];
  const target = resolve(dir);
  const parts = relative(resolve(first), target)
    .split(sep)
    .filter((p) => p !== '');
  const chain = [resolve(first)];
  for (const part of parts) chain.push(resolve(chain.at(-1) ?? first, part));
  return chain;
}

/** Creates `dir` and any missing parents, each one created 0700; existing ones are left as they are. */
export function ensurePrivateDirSync(dir: string): void {
  for (const d of createdChain(mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE }), dir)) chmodSync(d, PRIVATE_DIR_MODE);
}

/** {@link ensurePrivateDirSync}, without blocking the event loop. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  for (const d of createdChain(await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE }), dir)) await chmod(d, PRIVATE_DIR_MODE);
}

/** Creates an empty file at `path`, 0600; fails with EEXIST when something is already there. */
export function createPrivateFileSync(path: string): void {
  const fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** Opens `path` with `flags`, creating it 0600 (and setting 0600 on what `flags` truncates). */
async function openOwnerOnly(path: string, flags: 'w' | 'ax'): Promise<FileHandle> {
  const handle = await open(path, flags, PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
    return handle;
  } catch (e: unknown) {
    await handle.close();
    throw e;
  }
}

async function writeThrough(handle: FileHandle, text: string): Promise<void> {
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Writes `text` to `path` (its directory created 0700 when missing) as a file of credwatch's own,
 * 0600 even when it replaces one: for temporary files credwatch renames into place.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  await ensurePrivateDir(dirname(path));
  await writeThrough(await openOwnerOnly(path, 'w'), text);
}

/**
 * Appends `text` to `path`. A file this call creates (with its directory) is 0600 / 0700; an
 * existing file keeps its mode.
 */
export async function appendPrivateFile(path: string, text: string): Promise<void> {
  await ensurePrivateDir(dirname(path));
  let handle: FileHandle;
  try {
    // 'ax': create exclusively, so "did this call create it" has one answer even with two writers.
    handle = await openOwnerOnly(path, 'ax');
  } catch (e: unknown) {
    if (!(e instanceof Error && 'code' in e && e.code === 'EEXIST')) throw e;
    handle = await open(path, 'a');
  }
  await writeThrough(handle, text);
}
