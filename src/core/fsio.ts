/**
 * The file-system calls the store makes, behind one interface: the durability layer takes it as a
 * parameter, so a test can hand it a layer that writes short, runs out of space or is refused
 * (deterministically, at the call it names) without a real full disk.
 */
import fs from 'node:fs';

export interface FileSystem {
  openSync(path: string, flags: string, mode?: number): number;
  closeSync(fd: number): void;
  /** Writes at most `length` bytes of `buffer` from `offset` (at `position`, or the file's position); returns how many it wrote. */
  writeSync(fd: number, buffer: Buffer, offset: number, length: number, position?: number | null): number;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  fstatSync(fd: number): { size: number; mode: number };
  fchmodSync(fd: number, mode: number): void;
  statSync(path: string): { size: number; mode: number };
  readFileSync(path: string): Buffer;
  /**
   * The file decoded as UTF-8, without a Buffer of it on the JS heap alongside the text (a large
   * data file would otherwise be held twice while it is parsed). Optional: readFileSync is used without it.
   */
  readTextSync?(path: string): string;
  renameSync(from: string, to: string): void;
  /** A hard link: fails with EEXIST when `to` exists, which makes it an atomic create-if-absent of a file already written. */
  linkSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readdirSync(path: string): string[];
  mkdirSync(path: string, options: { recursive: true }): void;
  /** The asynchronous pair used by --fsync, where the wait would otherwise block the event loop. */
  write(fd: number, buffer: Buffer, offset: number, length: number, cb: (err: NodeJS.ErrnoException | null, written: number) => void): void;
  fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
}

export const nodeFileSystem: FileSystem = {
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  closeSync: (fd) => fs.closeSync(fd),
  writeSync: (fd, buffer, offset, length, position) => fs.writeSync(fd, buffer, offset, length, position),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
  fstatSync: (fd) => fs.fstatSync(fd),
  fchmodSync: (fd, mode) => fs.fchmodSync(fd, mode),
  statSync: (p) => fs.statSync(p),
  readFileSync: (p) => fs.readFileSync(p),
  readTextSync: (p) => fs.readFileSync(p, 'utf8'),
  renameSync: (from, to) => fs.renameSync(from, to),
  linkSync: (from, to) => fs.linkSync(from, to),
  unlinkSync: (p) => fs.unlinkSync(p),
  readdirSync: (p) => fs.readdirSync(p),
  mkdirSync: (p, options) => void fs.mkdirSync(p, options),
  write: (fd, buffer, offset, length, cb) => fs.write(fd, buffer, offset, length, null, cb),
  fdatasync: (fd, cb) => fs.fdatasync(fd, cb),
};

/** An error shaped like the ones node:fs throws (code, errno-style message). */
export function fsError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: ${syscall} failed${path ? `, '${path}'` : ''}`);
  err.code = code;
  err.syscall = syscall;
  if (path) err.path = path;
  return err;
}

/**
 * Writes all of `buffer`, looping over short writes. A write that makes no progress is reported as
 * ENOSPC rather than retried forever (the kernel only returns 0 for a full medium).
 */
export function writeFully(fsys: FileSystem, fd: number, buffer: Buffer, position: number | null = null): void {
  let off = 0;
  while (off < buffer.length) {
    const n = fsys.writeSync(fd, buffer, off, buffer.length - off, position === null ? null : position + off);
    if (!(n > 0)) throw fsError('ENOSPC', 'write');
    off += n;
  }
}

/** The same, asynchronously (for --fsync). */
export function writeFullyAsync(fsys: FileSystem, fd: number, buffer: Buffer, cb: (err: NodeJS.ErrnoException | null) => void, off = 0): void {
  fsys.write(fd, buffer, off, buffer.length - off, (err, written) => {
    if (err) return cb(err);
    if (!(written > 0)) return cb(fsError('ENOSPC', 'write'));
    if (off + written < buffer.length) return writeFullyAsync(fsys, fd, buffer, cb, off + written);
    cb(null);
  });
}
