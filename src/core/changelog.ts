/**
 * The durability layer on disk: a data file holding a whole document, and a change log beside it
 * (FILE.log) with one line per transaction since the document was written. Document + log is the
 * state.
 *
 * - An append is checked for its full length; one that fails is cut back off the log, so the log
 *   always ends on a record boundary and the next append (once there is space again) is clean.
 * - Compaction writes the document to a temporary file, fsyncs it, checks it (size, and the bytes
 *   read back against the text), renames it over the data file, fsyncs the directory, and only
 *   then empties the log. Any failure keeps the old data file and the log (which still hold the
 *   whole state), logs one error and returns false: serving goes on.
 * - At start: the lock is taken, temporary files left by a killed compaction are removed, a torn
 *   last line (a crash mid-append: never acknowledged) is cut off with a warning, and any complete
 *   line that does not parse is refused, naming the file and the line.
 * - The check mark (FILE.checked, with a check version): after each document it writes, and after
 *   a loaded document passed the store's check, the layer notes the document's size and SHA-1 and
 *   the check version beside it. A start that finds the data file with that same size and SHA-1
 *   and the same check version knows it unchanged since (the store then skips the check). The mark
 *   is a hint and nothing more: one that is missing, torn, stale or unreadable only means the
 *   document is checked again; it is written without fsync, and a failure to write it is ignored.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { DocumentText, Durability, LoadSink, LogRecord } from './durability.js';
import { EmulatorError } from './errors.js';
import { type FileSystem, nodeFileSystem, writeFully, writeFullyAsync } from './fsio.js';
import { FileLock } from './lock.js';
import type { StateDoc } from './state.js';

export interface ChangeLogOptions {
  file: string;
  /** fdatasync each append: survives power loss, not only a process crash. */
  fsync?: boolean;
  fs?: FileSystem;
  /** Where progress (a large document loaded), warnings (a torn tail cut off) and errors (a failed compaction) go. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** A data file or change log of at least this many bytes is loaded with a few progress lines. */
  progressBytes?: number;
  /** What the store checks a loaded document against (see StoreOptions.checkVersion); unset: no check mark is read or written. */
  checkVersion?: string;
}

/** The check mark: the data file it describes, by size and SHA-1, and the check version it passed under. */
interface CheckMark {
  bytes: number;
  sha1: string;
  check: string;
}

/** Documents are written and checked in slices of this many bytes, so neither needs a second copy of the document. */
const CHUNK = 1 << 20;

export class ChangeLogFile implements Durability {
  readonly persistent = true;
  readonly file: string;
  readonly logFile: string;
  private readonly fsys: FileSystem;
  private readonly fsyncEach: boolean;
  private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  private readonly progressBytes: number;
  private lock?: FileLock;
  private logFd?: number;
  private _logBytes = 0;
  /** A failed append could not be cut back: the next append cuts it first. */
  private tailDirty = false;
  /** The data file's permission bits, kept when it is rewritten (undefined: a new file, the umask decides). */
  private mode?: number;
  readonly checkFile: string;
  private readonly checkVersion: string | undefined;
  /** SHA-1 of the document as loaded (undefined: no check version, or a document that is not ASCII, which this layer never writes). */
  private loadedSha1?: string;
  private _unchangedSinceChecked = false;
  /** Check marks written, and documents hashed at load (counted by tests). */
  readonly markStats = { written: 0, hashed: 0 };

  constructor(options: ChangeLogOptions) {
    this.file = path.resolve(options.file);
    this.logFile = `${this.file}.log`;
    this.checkFile = `${this.file}.checked`;
    this.checkVersion = options.checkVersion;
    this.fsys = options.fs ?? nodeFileSystem;
    this.fsyncEach = options.fsync ?? false;
    this.log = options.log ?? (() => {});
    this.progressBytes = options.progressBytes ?? Infinity;
  }

  get logBytes(): number {
    return this._logBytes;
  }

  private _documentBytes = 0;
  get documentBytes(): number {
    return this._documentBytes;
  }

  get unchangedSinceChecked(): boolean {
    return this._unchangedSinceChecked;
  }

  markChecked(): void {
    if (this.loadedSha1 !== undefined) this.writeMark(this._documentBytes, this.loadedSha1);
  }

  /** Whether the mark beside the data file describes the document loaded (by size and SHA-1) under this check version. */
  private readMark(): boolean {
    if (this.checkVersion === undefined || this.loadedSha1 === undefined) return false;
    try {
      const mark = JSON.parse(this.fsys.readFileSync(this.checkFile).toString('latin1')) as Partial<CheckMark>;
      return mark.bytes === this._documentBytes && mark.sha1 === this.loadedSha1 && mark.check === this.checkVersion;
    } catch {
      return false; // missing, torn or unreadable: the document is checked, as without a mark
    }
  }

  /** Notes that the data file of `bytes` bytes with this SHA-1 passed the check. A hint: a failure leaves no mark (or a stale one, which matches nothing). */
  private writeMark(bytes: number, sha1: string): void {
    if (this.checkVersion === undefined) return;
    const mark: CheckMark = { bytes, sha1, check: this.checkVersion };
    let fd: number | undefined;
    try {
      fd = this.fsys.openSync(this.checkFile, 'w', this.mode ?? 0o666);
      writeFully(this.fsys, fd, Buffer.from(JSON.stringify(mark) + '\n', 'latin1'));
      this.markStats.written++;
    } catch {
      try {
        this.fsys.unlinkSync(this.checkFile);
      } catch {
        // a stale mark describes another document: it matches nothing
      }
    } finally {
      if (fd !== undefined) {
        try {
          this.fsys.closeSync(fd);
        } catch {
          // nothing depends on the mark
        }
      }
    }
  }

  load(sink: LoadSink): boolean {
    const dir = path.dirname(this.file);
    try {
      this.fsys.mkdirSync(dir, { recursive: true });
    } catch (err: any) {
      throw new EmulatorError(`cannot create the directory of data file ${this.file}: ${err.message}`);
    }
    this.lock = FileLock.acquire(this.fsys, this.file);
    try {
      this.removeStaleTemps(dir);
      const doc = this.readDocument();
      this._unchangedSinceChecked = doc !== undefined && this.readMark();
      if (doc === undefined) {
        // A log without its document (the document was deleted by hand) describes nothing that exists.
        this.removeIfPresent(this.logFile);
      } else {
        sink.document(doc);
        this.replay(sink);
      }
      this.openLog();
      return doc !== undefined;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  create(document: DocumentText): void {
    const started = performance.now();
    const failure = this.writeDocument(document);
    if (failure !== undefined) throw new EmulatorError(failure);
    this.writeMark(this._documentBytes, this.writtenSha1!);
    if (this._documentBytes >= this.progressBytes) this.log('info', `data file ${this.file} written in ${Math.round(performance.now() - started)} ms (${mb(this._documentBytes)} MB)`);
  }

  private removeStaleTemps(dir: string): void {
    const base = path.basename(this.file);
    const stale = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.lock)?\\.[0-9]+\\.tmp$`);
    let names: string[];
    try {
      names = this.fsys.readdirSync(dir);
    } catch (err: any) {
      throw new EmulatorError(`cannot list the directory of data file ${this.file}: ${err.message}`);
    }
    // The lock is held: no other process is writing one of these now. Our own lock's temp is gone already.
    for (const name of names) {
      if (!stale.test(name)) continue;
      try {
        this.fsys.unlinkSync(path.join(dir, name));
        this.log('warn', `removed ${path.join(dir, name)}, left by an earlier run that stopped while writing it`);
      } catch (err: any) {
        if (err.code !== 'ENOENT') throw new EmulatorError(`cannot remove stale temporary file ${path.join(dir, name)}: ${err.message}`);
      }
    }
  }

  private readDocument(): StateDoc | undefined {
    let text: string;
    const started = performance.now();
    try {
      const stat = this.fsys.statSync(this.file);
      this.mode = stat.mode & 0o7777;
      if (stat.size >= this.progressBytes) this.log('info', `loading data file ${this.file} (${mb(stat.size)} MB)`);
      // Read as text when the layer can: the bytes and the text are then never held at once.
      // (Decoded as Latin-1 instead, the text would be an external string beside its bytes, and parse slower.)
      text = this.fsys.readTextSync ? this.fsys.readTextSync(this.file) : this.fsys.readFileSync(this.file).toString('utf8');
      this._documentBytes = stat.size;
    } catch (err: any) {
      if (err.code === 'ENOENT') return undefined;
      throw new EmulatorError(`cannot read data file ${this.file}: ${err.message}`);
    }
    // Only a document this layer could have written (ASCII: one character per byte) can match a check mark: hash it for one.
    this.loadedSha1 = this.checkVersion !== undefined && text.length === this._documentBytes ? sha1OfAscii(text) : undefined;
    if (this.loadedSha1 !== undefined) this.markStats.hashed++;
    try {
      const doc = JSON.parse(text);
      if (this._documentBytes >= this.progressBytes) this.log('info', `data file read and parsed in ${Math.round(performance.now() - started)} ms`);
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a JSON object');
      return doc;
    } catch (err: any) {
      throw new EmulatorError(`data file ${this.file} is corrupt (${err.message}); fix or remove it`);
    }
  }

  /** Applies the log left by the last run; cuts off a torn last line; refuses any complete line that does not parse. */
  private replay(sink: LoadSink): void {
    let buf: Buffer;
    try {
      buf = this.fsys.readFileSync(this.logFile);
    } catch (err: any) {
      if (err.code === 'ENOENT') return;
      throw new EmulatorError(`cannot read change log ${this.logFile}: ${err.message}`);
    }
    const end = buf.lastIndexOf(0x0a) + 1; // past the last complete line
    const text = buf.toString('utf8', 0, end);
    const loud = buf.length >= this.progressBytes;
    const started = performance.now();
    if (loud) this.log('info', `replaying change log ${this.logFile} (${mb(buf.length)} MB)`);
    let line = 0;
    for (let start = 0; start < text.length; ) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) nl = text.length;
      line++;
      if (nl > start) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text.slice(start, nl));
        } catch {
          parsed = undefined;
        }
        // A complete line ends in '\n', so its append finished and may have been acknowledged:
        // dropping it silently could lose an acknowledged change, so it is refused like any other.
        if (!isRecordLine(parsed)) throw new EmulatorError(`change log ${this.logFile} is corrupt at line ${line}; fix or remove it`);
        if (Array.isArray(parsed)) for (const r of parsed) sink.record(r);
        else sink.record(parsed);
      }
      start = nl + 1;
    }
    if (loud) this.log('info', `change log replayed in ${Math.round(performance.now() - started)} ms: ${line} transactions`);
    if (end < buf.length) {
      // A crash in the middle of an append: that append was never acknowledged. Cut it off, or the next append would be glued to it.
      try {
        const fd = this.fsys.openSync(this.logFile, 'r+');
        try {
          this.fsys.ftruncateSync(fd, end);
          this.fsys.fsyncSync(fd);
        } finally {
          this.fsys.closeSync(fd);
        }
      } catch (err: any) {
        throw new EmulatorError(`cannot cut the torn end off change log ${this.logFile}: ${err.message}`);
      }
      this.log('warn', `change log ${this.logFile}: cut off a torn last record of ${buf.length - end} bytes (a write cut short by a crash; it was never acknowledged)`);
    }
  }

  private openLog(): void {
    try {
      this.logFd = this.fsys.openSync(this.logFile, 'a');
      this._logBytes = this.fsys.fstatSync(this.logFd).size;
    } catch (err: any) {
      throw new EmulatorError(`cannot open change log ${this.logFile}: ${err.message}`);
    }
  }

  append(data: Buffer, done: (err: Error | null) => void): void {
    const fd = this.logFd;
    if (fd === undefined) return done(new Error('the change log is closed'));
    if (this.tailDirty) {
      try {
        this.fsys.ftruncateSync(fd, this._logBytes);
        this.tailDirty = false;
      } catch (err: any) {
        return done(err);
      }
    }
    const finish = (err: NodeJS.ErrnoException | null) => {
      if (err) {
        this.cutBack(fd);
        return done(err);
      }
      this._logBytes += data.length;
      done(null);
    };
    if (!this.fsyncEach) {
      // A write to the page cache takes microseconds: doing it here, once per turn of the loop for
      // every change made in that turn, costs less than a round trip through libuv's thread pool.
      let error: NodeJS.ErrnoException | null = null;
      try {
        writeFully(this.fsys, fd, data);
      } catch (err: any) {
        error = err;
      }
      return finish(error);
    }
    writeFullyAsync(this.fsys, fd, data, (err) => {
      if (err) return finish(err);
      this.fsys.fdatasync(fd, finish);
    });
  }

  /** Removes what a failed append left, so the log ends on the last acknowledged record. */
  private cutBack(fd: number): void {
    try {
      this.fsys.ftruncateSync(fd, this._logBytes);
    } catch {
      this.tailDirty = true;
    }
  }

  compact(document: () => DocumentText): boolean {
    if (this.logFd === undefined) return false;
    let text: DocumentText;
    try {
      text = document();
    } catch (err: any) {
      this.log('error', `compaction of ${this.file} failed: cannot serialise the document (${err.message}); the data file and its change log are kept`);
      return false;
    }
    const failure = this.writeDocument(text);
    if (failure !== undefined) {
      this.log('error', `compaction: ${failure}`);
      return false;
    }
    this.writeMark(this._documentBytes, this.writtenSha1!);
    try {
      this.fsys.ftruncateSync(this.logFd, 0);
      this._logBytes = 0;
      this.tailDirty = false;
    } catch (err: any) {
      // The new document already holds everything in the log; replaying it again at start changes nothing.
      this.log('error', `compaction of ${this.file}: cannot empty change log ${this.logFile} (${err.message}); it is replayed at the next start`);
      return false;
    }
    return true;
  }

  /**
   * Writes `text` (ASCII: one byte per character, in pieces) as the data file: temp file, fsync,
   * check, rename, directory fsync. Returns what went wrong (one line) when a step fails; the old
   * file is kept. A piece that cannot be serialised fails the write at step "serialise".
   */
  private writeDocument(text: DocumentText): string | undefined {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      this.mode = this.fsys.statSync(this.file).mode & 0o7777; // as it is now, should someone have changed it while we ran
    } catch {
      // no data file yet: the umask decides, as for any new file
    }
    let fd: number | undefined;
    let step = 'create';
    try {
      fd = this.fsys.openSync(tmp, 'w+', this.mode ?? 0o666); // read back by verify
      if (this.mode !== undefined) {
        step = 'chmod';
        this.fsys.fchmodSync(fd, this.mode); // the umask narrowed the mode open gave it
      }
      // What was written is remembered as its length and a digest, and checked against the bytes read back.
      const digest = createHash('sha1');
      let length = 0;
      const pieces = text[Symbol.iterator]();
      for (;;) {
        step = 'serialise';
        const next = pieces.next();
        if (next.done) break;
        const piece = next.value;
        step = 'write';
        for (let off = 0; off < piece.length; off += CHUNK) {
          const bytes = Buffer.from(off === 0 && piece.length <= CHUNK ? piece : piece.slice(off, off + CHUNK), 'latin1');
          writeFully(this.fsys, fd, bytes);
          digest.update(bytes);
        }
        length += piece.length;
      }
      step = 'fsync';
      this.fsys.fsyncSync(fd);
      step = 'verify';
      this.verify(fd, length, digest.digest('hex'));
      this._documentBytes = length;
      this.fsys.closeSync(fd);
      fd = undefined;
      step = 'rename';
      this.fsys.renameSync(tmp, this.file);
    } catch (err: any) {
      if (fd !== undefined) {
        try {
          this.fsys.closeSync(fd);
        } catch {
          // closing is all that is left to try
        }
      }
      try {
        this.fsys.unlinkSync(tmp);
      } catch {
        // removed at the next start
      }
      return `writing data file ${this.file} failed at ${step} of ${tmp} (${err.message}); the previous data file and its change log are kept and still hold every change`;
    }
    try {
      const dirFd = this.fsys.openSync(path.dirname(this.file), 'r');
      try {
        this.fsys.fsyncSync(dirFd);
      } finally {
        this.fsys.closeSync(dirFd);
      }
    } catch (err: any) {
      // The rename happened but may not survive a power loss: keep the log, which replays onto either file.
      return `data file ${this.file} was replaced but its directory could not be synced (${err.message}); its change log is kept`;
    }
    return undefined;
  }

  /** The file holds exactly what was written: its size, then the digest of its bytes read back slice by slice. */
  private verify(fd: number, length: number, want: string): void {
    const size = this.fsys.fstatSync(fd).size;
    if (size !== length) throw new Error(`the file has ${size} bytes, ${length} were written`);
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(length, 1)));
    const digest = createHash('sha1');
    for (let off = 0; off < length; off += CHUNK) {
      const slice = Math.min(CHUNK, length - off);
      let got = 0;
      while (got < slice) {
        const n = this.fsys.readSync(fd, buf, got, slice - got, off + got);
        if (!(n > 0)) throw new Error(`the file ends at ${off + got} bytes, ${length} were written`);
        got += n;
      }
      digest.update(buf.subarray(0, slice));
    }
    if (digest.digest('hex') !== want) throw new Error('the bytes read back differ from those written');
    this.writtenSha1 = want;
  }

  /** The SHA-1 of the document last written and verified. */
  private writtenSha1?: string;

  private removeIfPresent(file: string): void {
    try {
      this.fsys.unlinkSync(file);
    } catch (err: any) {
      if (err.code !== 'ENOENT') throw new EmulatorError(`cannot remove ${file}: ${err.message}`);
    }
  }

  close(): void {
    if (this.logFd !== undefined) {
      try {
        this.fsys.closeSync(this.logFd);
      } catch {
        // every acknowledged append is already written
      }
      this.logFd = undefined;
    }
    this.lock?.release();
    this.lock = undefined;
  }
}

/** The SHA-1 of ASCII text's bytes, hashed in slices (no copy of the whole text as bytes). */
function sha1OfAscii(text: string): string {
  const hash = createHash('sha1');
  for (let off = 0; off < text.length; off += CHUNK) hash.update(off === 0 && text.length <= CHUNK ? text : text.slice(off, off + CHUNK), 'latin1');
  return hash.digest('hex');
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function isRecordLine(value: unknown): value is LogRecord | LogRecord[] {
  if (Array.isArray(value)) return value.length > 0 && value.every(isRecord);
  return isRecord(value);
}

function isRecord(value: unknown): value is LogRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  if ('doc' in r) return r.doc !== null && typeof r.doc === 'object' && !Array.isArray(r.doc);
  if (typeof r.p !== 'string' || typeof r.id !== 'string') return false;
  if ('e' in r) return r.e !== null && typeof r.e === 'object' && !Array.isArray(r.e);
  return r.d === 1 || (r.v !== null && typeof r.v === 'object' && !Array.isArray(r.v));
}
