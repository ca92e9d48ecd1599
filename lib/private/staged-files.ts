/**
 * Files written all or nothing, without holding their text: each file is written to a temporary
 * file next to its target (`<name>.<pid>.tmp`), piece by piece as its text is produced, and only
 * {@link StagedFiles.commit} renames them over their targets. {@link StagedFiles.discard} (on any
 * failure before the commit) closes and removes the temporary files, leaving the targets as they were.
 *
 * The synth's writers use it to write each object's YAML as it is rendered and let it go (a chart
 * of 100,000 objects is about 100 MB of YAML: held as one string, it doubled the synth's memory).
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { makeDirectories } from './fs';

/** Text buffered before a write to the file: large enough that the writes cost little, small beside a chart. */
const FLUSH_AT = 1 << 18;

/** A temporary file being written; its text goes to its target when the {@link StagedFiles} commit. */
export class StagedFile {
  private buffer = '';
  private fd: number | undefined;

  /** @internal */
  public constructor(fd: number, public readonly tmp: string, public readonly target: string) {
    this.fd = fd;
  }

  /** Appends `text`. */
  public write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  /** Writes what is buffered and closes the file (idempotent). */
  public close(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Closes the file without writing what is buffered (on failure). */
  public abandon(): void {
    this.buffer = '';
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }

  private flush(): void {
    if (this.buffer === '' || this.fd === undefined) return;
    const text = this.buffer;
    this.buffer = '';
    writeSync(this.fd, text);
  }
}

/** A set of files written to temporary files, then renamed over their targets together. */
export class StagedFiles {
  private readonly files: StagedFile[] = [];

  /**
   * Opens the temporary file of `target`, making its folder (and the missing ones above).
   * @throws PathError when a folder cannot be made; the operating system's error when the file cannot be opened
   */
  public open(target: string): StagedFile {
    makeDirectories(path.dirname(target));
    const tmp = `${target}.${process.pid}.tmp`;
    const file = new StagedFile(openSync(tmp, 'w'), tmp, target);
    this.files.push(file);
    return file;
  }

  /** Writes a whole file (`open`, `write`, `close`). */
  public add(target: string, content: string): void {
    const f = this.open(target);
    f.write(content);
    f.close();
  }

  /** Closes every file and renames each over its target, in the order they were opened. */
  public commit(): void {
    for (const f of this.files) f.close();
    for (const f of this.files) renameSync(f.tmp, f.target);
    this.files.length = 0;
  }

  /** Closes and removes every temporary file: the targets stay as they were. */
  public discard(): void {
    for (const f of this.files) {
      try {
        f.abandon();
      } catch {
        // already closed by the failure; the file is removed below
      }
      rmSync(f.tmp, { force: true });
    }
    this.files.length = 0;
  }

  /**
   * Runs `fn` with this set, then commits; if `fn` or a write throws, discards and rethrows.
   */
  public static write<T>(fn: (files: StagedFiles) => T): T {
    const files = new StagedFiles();
    let result: T;
    try {
      result = fn(files);
      for (const f of files.files) f.close();
    } catch (e) {
      files.discard();
      throw e;
    }
    files.commit();
    return result;
  }
}
