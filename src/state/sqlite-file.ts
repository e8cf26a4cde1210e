/**
 * The state file before SQLite reads it: what is at the path, and creating a new one.
 *
 * SQLite opens a 0-byte file as a new, empty database, just as it creates a missing one, so a
 * state file truncated to nothing would be taken for a first run: every watermark forgotten, the whole lookback read and alerted on again. Only a
 * missing file is a fresh start here; an empty one is an error naming it. So that credwatch never
 * leaves such a file itself, a new state file is built complete under a temporary name and linked
 * into place: any file at the path was whole when it appeared, also to a second process opening
 * it at the same moment.
 */
import { randomBytes } from 'node:crypto';
import { constants, copyFileSync, linkSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CredwatchError } from '../errors.js';
import { createPrivateFileSync, ensurePrivateDirSync } from '../private-files.js';

function errnoOf(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/**
 * Whether a state file exists at `path`. A 0-byte file fails with STATE_CORRUPT; anything else
 * there (a directory, an unreadable file) is left for SQLite to report.
 */
export function stateFileExists(path: string): boolean {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return true;
    size = stats.size;
  } catch (e: unknown) {
    if (errnoOf(e) === 'ENOENT') return false;
    return true;
  }
  if (size === 0) {
    throw new CredwatchError(
      'STATE_CORRUPT',
      `state database ${path} is empty (0 bytes): it is not credwatch state, and starting over from it would alert again on everything in the lookback. ` +
        'Restore the latest backup to that path, or delete the empty file to start afresh on purpose.',
      { details: { path, size: 0 } },
    );
  }
  return true;
}

/**
 * Puts a new state database at `path` (its directory created 0700 when missing), built by `init`
 * under a temporary name in the same directory. The file is 0600 before SQLite writes a byte, and
 * SQLite gives the -wal and -shm files the database file's permissions (the unix VFS,
 * https://www.sqlite.org/src/file/src/os_unix.c, findCreateFileMode). When another process put
 * its file there first, that one is kept.
 */
export function createStateFile(path: string, init: (db: Database.Database) => void): void {
  ensurePrivateDirSync(dirname(path));
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  createPrivateFileSync(temporary);
  try {
    const db = new Database(temporary, { fileMustExist: true });
    try {
      init(db);
    } finally {
      // The last connection checkpoints the WAL into the file and removes -wal and -shm.
      db.close();
    }
    publish(temporary, path);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(temporary + suffix, { force: true });
  }
}

/** link(2) fails when the path exists, so two creators cannot replace each other's file. */
function publish(temporary: string, path: string): void {
  try {
    linkSync(temporary, path);
    return;
  } catch (e: unknown) {
    const code = errnoOf(e);
    if (code === 'EEXIST') return;
    // A file system without hard links: an exclusive copy is still never written over.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
  }
  try {
    copyFileSync(temporary, path, constants.COPYFILE_EXCL);
  } catch (e: unknown) {
    if (errnoOf(e) !== 'EEXIST') throw e;
  }
}
