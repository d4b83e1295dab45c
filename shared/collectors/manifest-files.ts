import { closeSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { describeError } from '../core/errors.js';
import type { LoadError } from '../core/types.js';
import { NotStreamable, parseJsonStream } from './json-stream.js';

export interface ManifestEntry {
  name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The file system as the manifest reader sees it: injectable, so unreadable paths can be proven as any user. */
export interface ManifestFs {
  /** Follows symbolic links. */
  stat(path: string): { isFile(): boolean; isDirectory(): boolean };
  readdir(path: string): ManifestEntry[];
  realpath(path: string): string;
  readFile(path: string): string;
  /**
   * The JSON document of a regular file, read in pieces (parseJsonStream); throws when it is not
   * one or cannot be read, and the file is then read whole. Absent: every file is read whole.
   */
  readJson?(path: string): unknown;
}

export const nodeManifestFs: ManifestFs = {
  stat: (p) => statSync(p),
  readdir: (p) => readdirSync(p, { withFileTypes: true }),
  realpath: (p) => realpathSync(p),
  readFile: (p) => readFileSync(p, 'utf8'),
  readJson: (p) => {
    // A pipe (`<(helm template …)`) gives its text once: it is not opened here but read whole.
    if (!statSync(p).isFile()) throw new NotStreamable('not a regular file');
    const fd = openSync(p, 'r');
    try {
      return parseJsonStream((into, offset, length) => readSync(fd, into, offset, length, null));
    } finally {
      closeSync(fd);
    }
  },
};

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ManifestFiles {
  /** Files to read, in a stable order, each real file once. */
  files: string[];
  /** Folders that could not be listed, broken links, link loops. */
  errors: LoadError[];
}

/**
 * The manifest files under a path: the path itself when it is not a folder (a file, or a pipe such
 * as `<(helm template …)`), else every .yaml/.yml/.json below it, sorted, hidden folders and
 * node_modules skipped. Symbolic links are followed; a file reached twice (through links or
 * several paths, `seen` is shared) is read once; a link back into its own ancestry is a loop,
 * reported and not followed.
 */
export function listManifestFiles(path: string, fs: ManifestFs = nodeManifestFs, seen = new Set<string>()): ManifestFiles {
  const out: ManifestFiles = { files: [], errors: [] };
  const addFile = (file: string) => {
    const real = fs.realpath(file);
    if (seen.has(real)) return;
    seen.add(real);
    out.files.push(file);
  };
  const walk = (dir: string, ancestors: ReadonlySet<string>) => {
    let entries: ManifestEntry[];
    try {
      entries = fs.readdir(dir).sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      out.errors.push({ file: dir, message: `cannot read folder: ${describeError(e)}` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      const isManifestName = MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase());
      try {
        let kind: { isFile(): boolean; isDirectory(): boolean } = entry;
        if (entry.isSymbolicLink()) {
          // A broken link named like a manifest (or like a folder) may have held findings: say so.
          try {
            kind = fs.stat(full);
          } catch (e) {
            if (isManifestName || extname(entry.name) === '')
              out.errors.push({ file: full, message: `cannot follow link: ${describeError(e)}` });
            continue;
          }
        }
        if (kind.isDirectory()) {
          const real = fs.realpath(full);
          if (ancestors.has(real)) {
            out.errors.push({ file: full, message: `link loop: leads back to ${real}, not followed` });
            continue;
          }
          if (seen.has(real)) continue;
          seen.add(real);
          walk(full, new Set([...ancestors, real]));
        } else if (kind.isFile() && isManifestName) addFile(full);
      } catch (e) {
        out.errors.push({ file: full, message: `cannot read: ${describeError(e)}` });
      }
    }
  };
  try {
    if (!fs.stat(path).isDirectory()) {
      addFile(path);
      return out;
    }
    const real = fs.realpath(path);
    if (seen.has(real)) return out;
    seen.add(real);
    walk(path, new Set([real]));
  } catch (e) {
    out.errors.push({ file: path, message: `cannot read: ${describeError(e)}` });
  }
  return out;
}
