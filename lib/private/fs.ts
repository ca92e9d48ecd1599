/**
 * File-system helpers for what the package writes (synth output, `init`): folders made one level
 * at a time, and sets of files written all or nothing.
 *
 * Why not `mkdirSync(dir, { recursive: true })`: on Linux, Node's recursive mkdir loops forever at
 * 100% CPU under /proc (`mkdirSync('/proc/x', { recursive: true })` never returns: the kernel
 * answers ENOENT for the missing entry and Node retries the parent). One level at a time, each
 * error is the operating system's, at once.
 */
import { lstatSync, mkdirSync, renameSync, rmdirSync, rmSync, statSync, Stats, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** A folder that could not be made, or a path that is in the way; the message names the path and the fix. */
export class PathError extends Error {}

function lstat(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function isDirectory(p: string): boolean | undefined {
  try {
    return statSync(p).isDirectory();
  } catch (e) {
    // ENOTDIR: a part above is a file; the walk up finds and names it
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * Makes `dir` and its missing parents, one level at a time; returns the folders it created,
 * outermost first (to remove them again on failure).
 * @throws PathError when a part of the path is not a folder or cannot be created
 */
export function makeDirectories(dir: string): string[] {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  for (let p = absolute; ; p = path.dirname(p)) {
    const found = isDirectory(p);
    if (found === true) break;
    if (found === false) throw new PathError(`${p} is not a folder: cannot create ${absolute} under it. Choose another path, or move the file away.`);
    missing.unshift(p);
    if (path.dirname(p) === p) break;
  }
  const created: string[] = [];
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && isDirectory(p)) continue;
      throw new PathError(`cannot create the folder ${p} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Choose a path where folders can be created.`);
    }
    created.push(p);
  }
  return created;
}

/**
 * Checks that `relative` files can be written under `dir` without replacing anything but regular
 * files: every existing part of each path is a folder, and each target is absent or a regular file
 * (not a folder, a link, a FIFO or a device). Nothing is written.
 * @throws PathError naming the first path in the way
 */
export function checkWritable(dir: string, relative: readonly string[]): void {
  const root = path.resolve(dir);
  const rootKind = isDirectory(root);
  if (rootKind === false) throw new PathError(`${root} exists and is not a folder. Choose a folder.`);
  for (const file of relative) {
    const target = path.join(root, file);
    for (let p = path.dirname(target); p.length > root.length; p = path.dirname(p)) {
      const s = lstat(p);
      if (s && !s.isDirectory()) throw new PathError(`${p} is in the way: ${file} goes inside a folder of that name, and it is not a folder. Move it away, or choose another folder.`);
    }
    const s = lstat(target);
    if (s && !s.isFile()) throw new PathError(`${target} is in the way: it is ${s.isDirectory() ? 'a folder' : s.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, and ${file} would replace it. Move it away, or choose another folder.`);
  }
}

/**
 * Writes `files` (relative path → text) under `dir` all or nothing: folders are made, every file
 * is written next to its target (`<name>.<pid>.tmp`), and only then is each renamed over its
 * target. A failure before the renames removes the temporary files and the folders it made.
 * @throws PathError when a path is in the way (see {@link checkWritable}) or cannot be written
 */
export function writeFilesAtomically(dir: string, files: Readonly<Record<string, string>>): void {
  const names = Object.keys(files);
  checkWritable(dir, names);
  const created: string[] = [];
  const staged: Array<[string, string]> = [];
  try {
    for (const name of names) {
      const target = path.join(path.resolve(dir), name);
      created.push(...makeDirectories(path.dirname(target)));
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, files[name], { flag: 'wx' });
      staged.push([tmp, target]);
    }
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    for (const d of created.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // not empty: something else wrote there meanwhile; leave it
      }
    }
    if (e instanceof PathError) throw e;
    throw new PathError(`cannot write under ${path.resolve(dir)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was written.`);
  }
  for (const [tmp, target] of staged) renameSync(tmp, target);
}
