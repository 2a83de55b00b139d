/**
 * One process per data file. Two emulators on one file would each compact over the other's
 * writes, so the second one is refused.
 *
 * An exclusive lock file (FILE.lock) holding the owner's pid, not a library: proper-lockfile, the
 * well-kept one, judges a lock stale by its age (the owner refreshes it on a timer) and records no
 * pid, while the refusal has to name the process that holds the file and a lock left by a killed
 * process has to be taken over at once, not after a stale period. A pid answers both: the lock is
 * taken over when process.kill(pid, 0) says the process is gone.
 *
 * The lock file is written whole under a temporary name and then hard-linked into place, so it
 * never exists without its pid (link fails with EEXIST when the lock exists: an atomic
 * create-if-absent). Limits: a pid reused by an unrelated live process keeps the lock until the
 * file is removed by hand (the refusal names it); taking over a stale lock is unlink + link, so two
 * processes starting on the same stale lock in the same instant could both get past it.
 */
import path from 'node:path';
import { EmulatorError } from './errors.js';
import { type FileSystem, writeFully } from './fsio.js';

/** Data files this process holds: a second store on one of them is refused like a second process. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err.code === 'EPERM'; // it exists, under another user
  }
}

export class FileLock {
  private released = false;

  private constructor(
    private readonly fsys: FileSystem,
    readonly dataFile: string,
    readonly lockFile: string,
  ) {}

  /** Takes the lock on `dataFile` or throws EmulatorError naming the file and the pid that holds it. */
  static acquire(fsys: FileSystem, dataFile: string): FileLock {
    const file = path.resolve(dataFile);
    const lockFile = `${file}.lock`;
    if (held.has(file)) throw new EmulatorError(`data file ${file} is in use by process ${process.pid} (this process; lock file ${lockFile})`);
    const tmp = `${lockFile}.${process.pid}.tmp`;
    try {
      const fd = fsys.openSync(tmp, 'w', 0o644);
      try {
        writeFully(fsys, fd, Buffer.from(`${process.pid}\n`));
      } finally {
        fsys.closeSync(fd);
      }
      // Twice at most: once, and once more after removing a lock whose owner is gone.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          fsys.linkSync(tmp, lockFile);
          held.add(file);
          return new FileLock(fsys, file, lockFile);
        } catch (err: any) {
          if (err.code !== 'EEXIST') throw err;
        }
        const holder = readPid(fsys, lockFile);
        // Our own pid in a lock we do not hold is a lock from an earlier life of this pid (PID 1 in a restarted container).
        if (holder !== undefined && holder !== process.pid && alive(holder)) {
          throw new EmulatorError(`data file ${file} is in use by process ${holder} (lock file ${lockFile}); stop that emulator or use another --data file`);
        }
        try {
          fsys.unlinkSync(lockFile);
        } catch (err: any) {
          if (err.code !== 'ENOENT') throw err;
        }
      }
      throw new EmulatorError(`data file ${file}: another process took the lock file ${lockFile} while this one was starting`);
    } catch (err: any) {
      if (err instanceof EmulatorError) throw err;
      throw new EmulatorError(`cannot lock data file ${file} (lock file ${lockFile}): ${err.message}`);
    } finally {
      try {
        fsys.unlinkSync(tmp);
      } catch {
        // never created, or already gone: nothing to clean
      }
    }
  }

  /** Removes the lock file (if it is still ours). */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.dataFile);
    try {
      if (readPid(this.fsys, this.lockFile) === process.pid) this.fsys.unlinkSync(this.lockFile);
    } catch {
      // a lock file that cannot be removed is taken over at the next start (its pid is gone by then)
    }
  }
}

/** The pid in a lock file; undefined when it is missing or holds no pid (then nobody can own it). */
function readPid(fsys: FileSystem, lockFile: string): number | undefined {
  try {
    const text = fsys.readFileSync(lockFile).toString('latin1').trim();
    return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}
