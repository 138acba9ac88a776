// Trees for the fetch, fetches and toolchain tests: a fetch kind, a toolchain
// kind and a kind that fetches from them, generated through the real pipeline
// from a real git repository (toolchain digests hash the files git tracks).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Trees } from '../run/helpers.js';

export { Trees, params } from '../run/helpers.js';

export const CONFIG = `
trust-domain: gadget
treeherder:
  group-names: {Fetch: Fetches}
taskgraph:
  repositories:
    gadget:
      name: Gadget
workers:
  aliases:
    images: {provisioner: 'gadget-{level}', implementation: docker-worker, os: linux, worker-type: images}
    b-linux: {provisioner: 'gadget-{level}', implementation: docker-worker, os: linux, worker-type: b-linux}
    t-linux: {provisioner: gadget-t, implementation: generic-worker, os: linux, worker-type: t-linux}
    t-win: {provisioner: gadget-t, implementation: generic-worker, os: windows, worker-type: t-win}
`;

export const FETCH_KIND_HEAD = `transforms:
  - taskgraph.transforms.fetch:transforms
  - taskgraph.transforms.run:transforms
  - taskgraph.transforms.task:transforms
`;

export const TOOLCHAIN_KIND_HEAD = `transforms:
  - taskgraph.transforms.run:transforms
  - taskgraph.transforms.cached_tasks:transforms
  - taskgraph.transforms.task:transforms
`;

export const RUN_KIND_HEAD = `transforms:
  - taskgraph.transforms.run:transforms
  - taskgraph.transforms.task:transforms
`;

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** Makes the directory above a tree's root a git repository with everything committed. */
export function commitAll(root: string): void {
  const top = dirname(root);
  git(top, 'init', '-q');
  git(top, 'add', '-A');
  git(top, 'commit', '-q', '-m', 'tree');
}

/** A tree with these files under `taskcluster/`, committed to git. */
export function committedTree(trees: Trees, files: Record<string, string>): string {
  const root = trees.tree(files);
  commitAll(root);
  return root;
}

export { join };
