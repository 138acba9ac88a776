// Fuzz test (issue 15): random, seeded mutations of the fixture trees
// (deleted keys, wrong types, truncated files, swapped kinds, random bytes)
// through generate and lint, for a bounded time. Every run must end in a
// result or in located errors: never an exception other than the tool's own
// diagnostics, a hang, or an abort; and no input is "a bug in tc-payload".
//
// Reproduce a failure with the seed and case it prints:
//   FUZZ_SEED=<seed> FUZZ_CASE=<case> node --test build/test/fuzz/fuzz-trees.test.js
// FUZZ_BUDGET_MS sets the time spent (default 30 s); FUZZ_SEED defaults to a
// fixed seed, so that `npm test` runs the same cases everywhere.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { lint } from '../../src/lint/lint.js';
import { DiagnosticsError, formatDiagnostic, isError } from '../../src/transform/diagnostics.js';
import { generate } from '../../src/transform/pipeline.js';
import { fixtures, runCli } from '../cli/run-cli.js';
import { mutateFile, random, swapKinds, yamlFiles } from './mutations.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20251127);
const ONLY_CASE = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 30_000);
/** Every how many cases one also goes through the CLI, as a child process. */
const CLI_EVERY = 12;

const TREES = [
  { tree: join(fixtures, 'taskcluster'), params: join(fixtures, 'params.yml') },
  { tree: join(fixtures, 'short-form'), params: join(fixtures, 'short-form', 'params-level-3.yml') },
];

const scratch = mkdtempSync(join(tmpdir(), 'fuzz-trees-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Case {
  root: string;
  params: string;
  mutations: string[];
}

function makeCase(index: number): Case {
  const rnd = random(SEED * 1_000_003 + index);
  const { tree, params } = TREES[index % TREES.length]!;
  const root = join(scratch, `case-${index}`);
  rmSync(root, { recursive: true, force: true });
  cpSync(tree, root, { recursive: true });
  const paramsCopy = join(root, '..', `case-${index}-params.yml`);
  cpSync(params, paramsCopy);
  const files = yamlFiles(root).filter((f) => !f.startsWith('params'));
  const mutations: string[] = [];
  const count = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < count; i++) {
    const roll = rnd();
    if (roll < 0.08) mutations.push(swapKinds(root, rnd));
    else if (roll < 0.18) mutations.push(`params: ${mutateFile(join(root, '..'), `case-${index}-params.yml`, rnd)}`);
    else mutations.push(mutateFile(root, files[Math.floor(rnd() * files.length)]!, rnd));
  }
  return { root, params: paramsCopy, mutations };
}

function describeCase(index: number, c: Case): string {
  return `FUZZ_SEED=${SEED} FUZZ_CASE=${index}: ${c.mutations.join('; ')}`;
}

/** The ways a run may end; anything else is a failure of the tool. */
async function checkGenerate(c: Case): Promise<string | undefined> {
  try {
    await generate({ root: c.root, paramsFile: c.params });
    return undefined;
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) return `generate threw ${(error as Error)?.stack ?? String(error)}`;
    const errors = error.diagnostics.filter(isError);
    if (errors.length === 0) return 'generate failed without an error';
    if (!errors.some((d) => d.location)) return `no error is located:\n${errors.map(formatDiagnostic).join('\n')}`;
    const bug = errors.find((d) => /bug in tc-payload|internal error/.test(d.message));
    if (bug) return `input reported as a bug of the tool: ${formatDiagnostic(bug)}`;
    return undefined;
  }
}

async function checkLint(c: Case): Promise<string | undefined> {
  try {
    const result = await lint({ root: c.root, paramsFiles: [c.params] });
    const bug = result.findings.find((f) => /bug in tc-payload|internal error/.test(f.message));
    return bug ? `lint reports input as a bug of the tool: ${bug.message}` : undefined;
  } catch (error) {
    return `lint threw ${(error as Error)?.stack ?? String(error)}`;
  }
}

function checkCli(c: Case): string | undefined {
  const result = runCli(['generate', '--root', c.root, '--params', c.params, '--jobs', '1'], { timeoutMs: 30_000 });
  if (result.status !== 0 && result.status !== 1) return `generate exited with ${result.status}: ${result.stderr.slice(0, 2000)}`;
  if (/\n\s+at |internal error/.test(result.stderr)) return `generate printed a stack trace or an internal error: ${result.stderr.slice(0, 2000)}`;
  if (result.status === 1 && !/^[^\s:]+:\d+:\d+: /m.test(result.stderr)) return `exit 1 without a located error: ${result.stderr.slice(0, 2000)}`;
  return undefined;
}

describe('fuzz: mutated fixture trees through generate and lint', () => {
  test(`every run ends in a result or located errors (seed ${SEED}, ${BUDGET_MS} ms)`, { timeout: BUDGET_MS + 60_000 }, async () => {
    const started = Date.now();
    const failures: string[] = [];
    let cases = 0;
    let failedRuns = 0;
    const indexes = ONLY_CASE === undefined ? undefined : [ONLY_CASE];
    for (let index = 0; indexes ? index < indexes.length : Date.now() - started < BUDGET_MS; index++) {
      const caseIndex = indexes ? indexes[index]! : index;
      const c = makeCase(caseIndex);
      cases++;
      for (const problem of [await checkGenerate(c), await checkLint(c), caseIndex % CLI_EVERY === 0 || indexes ? checkCli(c) : undefined]) {
        if (problem) failures.push(`${describeCase(caseIndex, c)}\n  ${problem}`);
      }
      try {
        await generate({ root: c.root, paramsFile: c.params });
      } catch {
        failedRuns++;
      }
      rmSync(c.root, { recursive: true, force: true });
    }
    // A fuzz run whose mutations all leave a valid tree, or all break it, tests little.
    process.stdout.write(`# fuzz: ${cases} cases, ${failedRuns} refused with located errors, ${cases - failedRuns} accepted\n`);
    assert.ok(cases >= (indexes ? 1 : 20), `only ${cases} cases ran in the budget`);
    assert.deepEqual(failures, []);
  });
});
