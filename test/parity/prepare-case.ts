// A parity case laid out as upstream saw it (../shared/taskgraph-parity/
// regenerate.sh): a fresh copy without the expected graphs, file modes as git
// checks them out (0644, 0755 where the owner may execute; the docker context
// digest hashes modes, and the shared copy is read-only), committed in a git
// repository of its own.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

function normaliseModes(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) normaliseModes(path);
    else chmodSync(path, st.mode & 0o100 ? 0o755 : 0o644);
  }
}

/** A working copy of the case; `remove()` deletes it. */
export function prepareCase(caseDir: string): { dir: string; remove(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'tc-payload-parity-'));
  const dir = join(parent, basename(caseDir));
  cpSync(caseDir, dir, {
    recursive: true,
    filter: (src) => !/^(expected.*\.json|params.*\.yml|README.*)$/.test(basename(src)) || src === caseDir,
  });
  normaliseModes(dir);
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=parity', '-c', 'user.email=parity@example.org', ...args], { stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'case');
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}
