/**
 * A file-system layer for the store that fails on purpose: real files underneath, with a byte
 * budget (a disk that fills up: writes come back short, then ENOSPC; truncating and removing files
 * gives space back), short writes, and one-off errors on a named call for paths with a given
 * ending. Every call is counted, so a test can say how much work was done.
 */
import fs from 'node:fs';
import { type FileSystem, fsError, nodeFileSystem } from '../../src/core/fsio.js';

type Op = keyof FileSystem;

interface Rule {
  op: Op;
  code: string;
  /** Only for paths (or fds opened on paths) ending with this. */
  suffix: string;
  times: number;
}

export class FaultyFs implements FileSystem {
  /** Bytes that can still be written; undefined: unlimited. */
  space: number | undefined;
  /** Every write gives back at most half of what it was asked for (at least one byte). */
  shortWrites = false;
  /** Writes to paths ending with this store half of what they are given and claim all of it (a broken medium). */
  lyingWrites: string | undefined;
  readonly calls: Partial<Record<Op, number>> = {};
  private rules: Rule[] = [];
  private readonly paths = new Map<number, string>();

  /** The next `times` calls of `op` on a path ending with `suffix` fail with `code`. */
  fail(op: Op, code: string, suffix = '', times = 1): this {
    this.rules.push({ op, code, suffix, times });
    return this;
  }

  clear(): void {
    this.rules = [];
    this.space = undefined;
    this.shortWrites = false;
    this.lyingWrites = undefined;
  }

  count(op: Op): number {
    return this.calls[op] ?? 0;
  }

  private check(op: Op, p?: string): void {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    const i = this.rules.findIndex((r) => r.op === op && (p ?? '').endsWith(r.suffix));
    if (i < 0) return;
    const rule = this.rules[i]!;
    if (--rule.times <= 0) this.rules.splice(i, 1);
    throw fsError(rule.code, op, p);
  }

  private sizeOf(p: string): number {
    try {
      return fs.statSync(p).size;
    } catch {
      return 0;
    }
  }

  private giveBack(bytes: number): void {
    if (this.space !== undefined) this.space += Math.max(0, bytes);
  }

  openSync(p: string, flags: string, mode?: number): number {
    this.check('openSync', p);
    const before = flags.startsWith('w') ? this.sizeOf(p) : 0;
    const fd = nodeFileSystem.openSync(p, flags, mode);
    this.giveBack(before); // 'w' truncates
    this.paths.set(fd, p);
    return fd;
  }
  closeSync(fd: number): void {
    const p = this.paths.get(fd);
    this.paths.delete(fd);
    nodeFileSystem.closeSync(fd);
    this.check('closeSync', p);
  }
  writeSync(fd: number, buffer: Buffer, offset: number, length: number, position?: number | null): number {
    this.check('writeSync', this.paths.get(fd));
    let n = length;
    if (this.shortWrites && n > 1) n = Math.ceil(n / 2);
    if (this.space !== undefined) {
      if (this.space <= 0) throw fsError('ENOSPC', 'write', this.paths.get(fd));
      n = Math.min(n, this.space);
    }
    if (this.lyingWrites !== undefined && (this.paths.get(fd) ?? '').endsWith(this.lyingWrites)) {
      nodeFileSystem.writeSync(fd, buffer, offset, Math.floor(n / 2), position);
      return n;
    }
    const written = nodeFileSystem.writeSync(fd, buffer, offset, n, position);
    if (this.space !== undefined) this.space -= written;
    return written;
  }
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
    this.check('readSync', this.paths.get(fd));
    return nodeFileSystem.readSync(fd, buffer, offset, length, position);
  }
  fsyncSync(fd: number): void {
    this.check('fsyncSync', this.paths.get(fd));
    nodeFileSystem.fsyncSync(fd);
  }
  ftruncateSync(fd: number, length: number): void {
    this.check('ftruncateSync', this.paths.get(fd));
    const before = nodeFileSystem.fstatSync(fd).size;
    nodeFileSystem.ftruncateSync(fd, length);
    this.giveBack(before - length);
  }
  fstatSync(fd: number): { size: number; mode: number } {
    this.check('fstatSync', this.paths.get(fd));
    return nodeFileSystem.fstatSync(fd);
  }
  fchmodSync(fd: number, mode: number): void {
    this.check('fchmodSync', this.paths.get(fd));
    nodeFileSystem.fchmodSync(fd, mode);
  }
  statSync(p: string): { size: number; mode: number } {
    this.check('statSync', p);
    return nodeFileSystem.statSync(p);
  }
  readFileSync(p: string): Buffer {
    this.check('readFileSync', p);
    return nodeFileSystem.readFileSync(p);
  }
  renameSync(from: string, to: string): void {
    this.check('renameSync', to);
    const replaced = this.sizeOf(to);
    nodeFileSystem.renameSync(from, to);
    this.giveBack(replaced);
  }
  linkSync(from: string, to: string): void {
    this.check('linkSync', to);
    nodeFileSystem.linkSync(from, to);
  }
  unlinkSync(p: string): void {
    this.check('unlinkSync', p);
    const size = this.sizeOf(p);
    nodeFileSystem.unlinkSync(p);
    this.giveBack(size);
  }
  readdirSync(p: string): string[] {
    this.check('readdirSync', p);
    return nodeFileSystem.readdirSync(p);
  }
  mkdirSync(p: string, options: { recursive: true }): void {
    this.check('mkdirSync', p);
    nodeFileSystem.mkdirSync(p, options);
  }
  write(fd: number, buffer: Buffer, offset: number, length: number, cb: (err: NodeJS.ErrnoException | null, written: number) => void): void {
    let n: number;
    try {
      n = this.writeSync(fd, buffer, offset, length, null);
    } catch (err: any) {
      return void setImmediate(() => cb(err, 0));
    }
    setImmediate(() => cb(null, n));
  }
  fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void {
    try {
      this.check('fdatasync', this.paths.get(fd));
    } catch (err: any) {
      return void setImmediate(() => cb(err));
    }
    nodeFileSystem.fdatasync(fd, cb);
  }
}
