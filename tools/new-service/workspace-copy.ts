import { execFileSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away copy of the workspace's sources, with node_modules borrowed from the real one. */
export interface WorkspaceCopy {
  readonly root: string;
  remove(): void;
}

// The workspace's own packages: in the copy they must resolve to the copy's libs, apps and ml.
const OWN_SCOPE = '@oo';

function linkNodeModules(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from)) {
    if (entry === OWN_SCOPE) {
      mkdirSync(join(to, entry));
      // npm's workspace links are relative (../../libs/…): recreated as they are, they point into the copy.
      for (const pkg of readdirSync(join(from, entry))) symlinkSync(readlinkSync(join(from, entry, pkg)), join(to, entry, pkg));
    } else if (entry !== '.cache') {
      // Tools may write caches under node_modules/.cache; the real tree's must stay untouched.
      symlinkSync(join(from, entry), join(to, entry));
    }
  }
}

/**
 * Copies every tracked and untracked, not ignored file of the workspace at `root` (its working
 * tree, edits included) into a fresh temporary directory, and gives the copy a node_modules whose
 * entries are symlinks to the real ones, except `@oo/*`, which point into the copy.
 *
 * @example
 * const copy = copyWorkspace('/work/main');
 * afterAll(() => copy.remove());
 */
export function copyWorkspace(root: string, label = 'oo-workspace-'): WorkspaceCopy {
  const copy = mkdtempSync(join(tmpdir(), label));
  try {
    const listed = execFileSync('git', ['ls-files', '-z', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const path of new Set(listed.split('\0').filter(Boolean))) {
      const source = join(root, path);
      // A tracked file deleted in the working tree is still listed.
      const stat = lstatSync(source, { throwIfNoEntry: false });
      if (!stat) continue;
      mkdirSync(dirname(join(copy, path)), { recursive: true });
      if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), join(copy, path));
      else if (stat.isFile()) copyFileSync(source, join(copy, path));
    }
    linkNodeModules(join(root, 'node_modules'), join(copy, 'node_modules'));
  } catch (err) {
    rmSync(copy, { recursive: true, force: true });
    throw err;
  }
  return { root: copy, remove: () => rmSync(copy, { recursive: true, force: true }) };
}
