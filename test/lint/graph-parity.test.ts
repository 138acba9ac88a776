// lint --graph on the graphs upstream taskgraph 24.2 itself produced
// (../shared/taskgraph-parity/<case>/expected*.json) finds what lint --root
// finds on the trees they were made from, task by task: the checks see the
// same tasks whether they come from a tree or from taskgraph's JSON.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { JsonReport } from '../../src/lint/format/json.js';
import { runCli } from '../cli/run-cli.js';
import { prepareCase } from '../parity/prepare-case.js';
import { repoRoot } from './lint-fixtures.js';

const parityRoot = join(repoRoot, '..', 'shared', 'taskgraph-parity');
const CASES = ['core', 'docker-image', 'run-task', 'fetch', 'misc'];
const SETS = [
  { params: 'params.yml', expected: 'expected.json', level: '3' },
  { params: 'params-level1.yml', expected: 'expected-level1.json', level: '1' },
];

/** The findings about tasks, as rule and label: generator warnings are about the YAML, which a graph has not. */
const byTask = (report: JsonReport) =>
  [...new Set(report.findings.filter((f) => f.task !== null).map((f) => `${f.rule} ${f.task}`))].sort();

describe("lint --graph on taskgraph's own graphs finds what lint --root finds on their trees", () => {
  for (const name of CASES) {
    for (const set of SETS) {
      test(`${name}, ${set.expected}`, () => {
        const dir = join(parityRoot, name);
        const work = prepareCase(dir);
        try {
          const tree = runCli(['lint', '--root', 'taskcluster', '--params', join(dir, set.params), '-p', `level=${set.level}`, '--format', 'json'], { cwd: work.dir });
          const fromTree = JSON.parse(tree.stdout) as JsonReport;
          assert.equal(fromTree.findings.filter((f) => f.severity === 'error' && f.task === null).length, 0, tree.stdout);
          const graph = runCli(['lint', '--graph', join(dir, set.expected), '--format', 'json']);
          const fromGraph = JSON.parse(graph.stdout) as JsonReport;
          assert.deepEqual(byTask(fromGraph), byTask(fromTree));
          assert.ok(fromGraph.configurations.includes(`${set.expected}, level ${set.level}`), fromGraph.configurations.join('; '));
        } finally {
          work.remove();
        }
      });
    }
  }
});
