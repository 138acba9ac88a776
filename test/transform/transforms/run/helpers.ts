// Temp taskgraph trees for the run transform tests, generated through the
// real pipeline.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import type { Diagnostic } from '../../../../src/transform/diagnostics.js';
import type { GeneratedTask } from '../../../../src/transform/model.js';
import { generate } from '../../../../src/transform/pipeline.js';
import { diagnosticsOfAsync } from '../../diagnostics-of.js';

export const ONE_REPO = `
taskgraph:
  repositories:
    gadget:
      name: Gadget
`;

export const TWO_REPOS = `
taskgraph:
  repositories:
    gadget:
      name: Gadget
      project-regex: '^gadget$'
    tools:
      name: Gadget tools
      project-regex: '^tools$'
      default-repository: https://example.com/tools
      default-ref: main
      type: git
      ssh-secret-name: project/tools/key
`;

export const ALIASES = `
trust-domain: gadget
workers:
  aliases:
    b-linux: {provisioner: 'gadget-{level}', implementation: docker-worker, os: linux, worker-type: b-linux}
    t-macos: {provisioner: gadget-t, implementation: generic-worker, os: macosx, worker-type: t-macos}
    t-win: {provisioner: gadget-t, implementation: generic-worker, os: windows, worker-type: t-win}
`;

export function params(level: '1' | '3'): string {
  return `
base_repository: https://example.com/gadget
base_rev: 'aaaa'
base_ref: main
build_date: 1764201600
head_ref: refs/heads/main
head_repository: https://example.com/gadget-head
head_rev: 'bbbb'
level: '${level}'
owner: me@example.com
project: gadget
repository_type: git
tasks_for: github-push
`;
}

export class Trees {
  readonly root = mkdtempSync(join(tmpdir(), 'run-transform-'));
  readonly bundle = join(this.root, 'run-task-bundle');
  private count = 0;
  constructor() {
    writeFileSync(this.bundle, 'a run-task bundle for the run transform tests');
  }
  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
  /** A new tree with these files (path → text); returns its root. */
  tree(files: Record<string, string>): string {
    // The same last directory name for every tree: it is part of metadata.source.
    const root = join(this.root, `${++this.count}`, 'taskcluster');
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    return root;
  }
  /** Generates a tree; `params.yml` at its root is the parameters file. */
  async generate(root: string): Promise<GeneratedTask[]> {
    return (await generate({ root, paramsFile: join(root, 'params.yml'), runtimeBundlePath: this.bundle })).tasks;
  }
  async generateWith(root: string, paramsFile: string): Promise<GeneratedTask[]> {
    return (await generate({ root, paramsFile, runtimeBundlePath: this.bundle })).tasks;
  }
  /** The errors of generating a tree that must fail. */
  errors(root: string): Promise<Diagnostic[]> {
    return diagnosticsOfAsync(() => this.generate(root));
  }
}

/** `kind.yml` with the run and task transforms. */
export function runKind(body: string, transforms = ['taskgraph.transforms.run:transforms', 'taskgraph.transforms.task:transforms']): string {
  return `transforms:\n${transforms.map((t) => `  - ${t}`).join('\n')}\n${body}`;
}
