// `run: {using: index-search}` (taskgraph's run/index_search.py): a task that
// stands for one built elsewhere. It runs on the built-in always-optimized
// worker type and is replaced, at optimization, by the task indexed at the
// first namespace that has one; `{parameter}` fills in the graph's parameters.
import type { RunIndexSearch } from '../../../generated/run-index-search.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { LoadedGraph, SourceMap } from '../../model.js';
import { validateValue } from '../../validate/validate-schema.js';

export type IndexSearchResult = { ok: true; value: Record<string, unknown> } | { ok: false; diagnostics: Diagnostic[] };

export function indexSearchTask(graph: LoadedGraph, value: Record<string, unknown>, source: SourceMap, label: string): IndexSearchResult {
  const problems = validateValue('run-index-search', value.run, source, ['run']);
  if (problems.length) return { ok: false, diagnostics: problems };
  if (value['worker-type'] !== 'always-optimized') {
    return {
      ok: false,
      diagnostics: [
        {
          severity: 'error',
          message: `run.using index-search only runs on the worker type always-optimized (task ${label})`,
          path: ['worker-type'],
          location: source.locate(['worker-type']),
          expected: 'worker-type: always-optimized',
        },
      ],
    };
  }
  const run = value.run as RunIndexSearch;
  const diagnostics: Diagnostic[] = [];
  const indexes = run['index-search'].map((index, i) => {
    const filled = fillParameters(index, graph.params as Record<string, unknown>);
    if ('missing' in filled) {
      diagnostics.push({
        severity: 'error',
        message: `index-search namespace ${JSON.stringify(index)} names {${filled.missing}}, which is not a parameter`,
        path: ['run', 'index-search', i],
        location: source.locate(['run', 'index-search', i]),
        expected: `a parameter name: ${Object.keys(graph.params).sort().join(', ')}`,
        hint: 'write {{ and }} for literal braces',
      });
      return index;
    }
    return filled.value;
  });
  if (diagnostics.length) return { ok: false, diagnostics };
  const { run: _run, ...rest } = value;
  return { ok: true, value: { ...rest, optimization: { 'index-search': indexes } } };
}

/** Python's str.format with named fields only: `{name}` → the parameter, `{{`/`}}` → a brace. */
function fillParameters(template: string, params: Record<string, unknown>): { value: string } | { missing: string } {
  let missing: string | undefined;
  const value = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, name: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (name === undefined || !Object.hasOwn(params, name)) {
      missing ??= name ?? '';
      return match;
    }
    return String(params[name]);
  });
  return missing !== undefined ? { missing } : { value };
}
