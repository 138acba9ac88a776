// Temp taskgraph trees for the tests of taskgraph's transform library
// (matrix, chunking, task_context, from_deps), generated through the real
// pipeline.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../../../../src/transform/diagnostics.js';
import { formatDiagnostic } from '../../../../src/transform/diagnostics.js';
import { generateKind, generationContext, transformKindItems } from '../../../../src/transform/generate-kind.js';
import { loadGraph } from '../../../../src/transform/load/load-graph.js';
import type { GeneratedTask } from '../../../../src/transform/model.js';
import { generate } from '../../../../src/transform/pipeline.js';
import type { TransformItem } from '../../../../src/transform/transforms/types.js';
import { diagnosticsOfAsync } from '../../diagnostics-of.js';

export const CONFIG = `
trust-domain: gadget
workers:
  aliases:
    b-linux: {provisioner: 'gadget-{level}', implementation: docker-worker, os: linux, worker-type: b-linux}
    b-win: {provisioner: 'gadget-{level}', implementation: docker-worker, os: linux, worker-type: b-win}
    b-mac: {provisioner: 'gadget-{level}', implementation: docker-worker, os: linux, worker-type: b-mac}
`;

export function params(level: '1' | '3', extra = ''): string {
  return `
base_repository: https://example.com/gadget
base_rev: 'aaaa'
base_ref: main
build_date: 1764201600
head_ref: main
head_repository: https://example.com/gadget
head_rev: 'bbbb'
head_tag: ''
level: '${level}'
owner: me@example.com
project: gadget
repository_type: git
tasks_for: github-push
${extra}`;
}

/** `kind.yml` with these transforms, then the task transform. */
export function kind(transforms: string[], body: string): string {
  const all = [...transforms.map((t) => `taskgraph.transforms.${t}:transforms`), 'taskgraph.transforms.task:transforms'];
  return `transforms:\n${all.map((t) => `  - ${t}`).join('\n')}\n${body}`;
}

/** A minimal worker section for a task of the b-* aliases. */
export const WORKER = `
    worker-type: b-linux
    worker:
      docker-image: debian:bookworm-slim
      max-run-time: 600
      command: [run]
`;

export class Trees {
  readonly dir = mkdtempSync(join(tmpdir(), 'transform-library-'));
  readonly bundle = join(this.dir, 'run-task-bundle');
  private count = 0;
  constructor() {
    writeFileSync(this.bundle, 'a run-task bundle for the transform library tests');
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
  /**
   * A new repository with these files (paths relative to the repository
   * root; `taskcluster/` is the taskgraph root, `params.yml` sits beside it);
   * returns the taskgraph root.
   */
  tree(files: Record<string, string>): string {
    const repo = join(this.dir, `${++this.count}`);
    const all = { 'taskcluster/config.yml': CONFIG, 'params.yml': params('3'), ...files };
    for (const [rel, text] of Object.entries(all)) {
      mkdirSync(dirname(join(repo, rel)), { recursive: true });
      writeFileSync(join(repo, rel), text);
    }
    return join(repo, 'taskcluster');
  }
  async generate(root: string, paramsFile = join(dirname(root), 'params.yml')): Promise<Map<string, GeneratedTask>> {
    const { tasks } = await generate({ root, paramsFile, runtimeBundlePath: this.bundle });
    return new Map(tasks.map((t) => [t.label, t]));
  }
  /** The errors of generating a tree that must fail. */
  errors(root: string): Promise<Diagnostic[]> {
    return diagnosticsOfAsync(() => this.generate(root));
  }
  /**
   * What the item transforms of `kindName` hand to the task transform: the
   * kinds before it generated as `generate` does, then its own transforms.
   */
  async items(root: string, kindName: string): Promise<TransformItem[]> {
    const graph = await loadGraph({ root, paramsFile: join(dirname(root), 'params.yml') });
    const diagnostics: Diagnostic[] = [];
    const context = generationContext(graph, this.bundle, diagnostics);
    const target = graph.kinds.find((k) => k.name === kindName)!;
    for (const k of graph.kinds) {
      if (k === target) break;
      diagnostics.push(...(await generateKind(k, context)).diagnostics);
    }
    const items = (await transformKindItems(target, context, diagnostics))!;
    assert.deepEqual(diagnostics.map(formatDiagnostic), []);
    return items;
  }
}

/** The one error of a failed generation, formatted as the CLI prints it. */
export function oneError(diagnostics: Diagnostic[]): string {
  assert.equal(diagnostics.length, 1, diagnostics.map(formatDiagnostic).join('\n'));
  return formatDiagnostic(diagnostics[0]!);
}
