// Parameters that have a default (an empty string, as taskgraph outside a
// checkout) but without which no task can be valid: every task links to its
// file in the pushed repository. Checked once, before any task, so a missing
// --params gives one error that says what to pass instead of one
// "invalid output" per task.
import type { Diagnostic } from '../diagnostics.js';
import type { Parameters } from '../model.js';

const REQUIRED: ReadonlyArray<{ name: keyof Parameters & string; why: string; example: string }> = [
  {
    name: 'head_repository',
    why: "every task's metadata.source links to its definition in that repository",
    example: 'https://github.com/OWNER/REPO',
  },
  { name: 'head_rev', why: "every task's metadata.source links to its definition at that revision", example: 'REVISION' },
];

export function checkRequiredParameters(params: Parameters): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const { name, why, example } of REQUIRED) {
    const value = params[name];
    if (typeof value === 'string' && value.trim() !== '') continue;
    problems.push({
      severity: 'error',
      message: `parameter ${name} is empty, but ${why}`,
      hint: `give it in the --params file, or with -p ${name}=${example}`,
    });
  }
  return problems;
}
