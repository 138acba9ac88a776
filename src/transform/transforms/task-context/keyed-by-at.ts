// taskgraph's task_context resolves keyed-by only at the fields it lists, and
// only there: a `by-*` map at the field itself (and the `by-*` maps its chosen
// alternatives are) is resolved, one deeper inside it is left for later. The
// values looked up are the task's own fields and the context, nothing else
// (no level or project unless the context has them).
import type { Diagnostic, Location, YamlPath } from '../../diagnostics.js';
import { matchKey } from '../../keyed-by.js';
import { isKeyedBy } from '../../load/merge.js';
import { locateKey } from '../../load/source-map.js';
import type { SourceMap } from '../../model.js';
import { isRecord } from '../../plain-data.js';

/** The `by-*` choices made at each resolved field, so that positions can still be found in the YAML. */
export class KeyedByChoices {
  private readonly choices: { at: YamlPath; taken: YamlPath }[] = [];

  record(at: YamlPath, taken: YamlPath): void {
    if (taken.length) this.choices.push({ at, taken });
  }

  /** `source` for the resolved task: a path through a resolved field goes through the alternatives taken there. */
  source(source: SourceMap): SourceMap {
    if (this.choices.length === 0) return source;
    const toOriginal = (path: YamlPath): YamlPath => {
      let out = [...path];
      // Longest first: a field inside another resolved field was resolved inside the other's chosen alternative.
      for (const { at, taken } of [...this.choices].sort((a, b) => b.at.length - a.at.length)) {
        if (at.every((part, i) => out[i] === part)) out = [...out.slice(0, at.length), ...taken, ...out.slice(at.length)];
      }
      return out;
    };
    return {
      locate: (path) => source.locate(toOriginal(path)),
      locateKey: (path: YamlPath): Location | undefined => locateKey(source, toOriginal(path)),
    } as SourceMap;
  }
}

/**
 * `value` with its `by-*` resolved against `attributes` (a `by-x` whose `x`
 * is in `defer` is left as it is), plus the path of keys taken. A failure is
 * a diagnostic at the `by-*` key.
 */
export function evaluateKeyedBy(
  value: unknown,
  attributes: Readonly<Record<string, unknown>>,
  defer: readonly string[],
  where: { source: SourceMap; at: YamlPath; field: string },
): { ok: true; value: unknown; taken: YamlPath } | { ok: false; diagnostic: Diagnostic } {
  const taken: string[] = [];
  while (isKeyedBy(value)) {
    const byKey = Object.keys(value as object)[0]!;
    const attribute = byKey.slice(3);
    if (defer.includes(attribute)) break;
    const alternatives = (value as Record<string, unknown>)[byKey];
    const fail = (message: string, expected?: string): { ok: false; diagnostic: Diagnostic } => {
      const path = [...where.at, ...taken, byKey];
      return {
        ok: false,
        diagnostic: { severity: 'error', message: `task_context, field ${where.field}: ${message}`, path, location: locateKey(where.source, path), ...(expected ? { expected } : {}) },
      };
    };
    if (!isRecord(alternatives)) return fail(`"${byKey}" must map values of "${attribute}" to choices`, 'a map');
    const keys = Object.keys(alternatives);
    if (keys.length === 1 && keys[0] === 'default') return fail(`"${byKey}" has only a "default" alternative; write the value directly instead`);
    const target = attributes[attribute];
    let chosen: string;
    if (target === undefined || target === null) {
      if (!keys.includes('default')) {
        return fail(
          `cannot resolve "${byKey}": neither the task nor its context has "${attribute}", and there is no "default"`,
          `a context value "${attribute}" (from-parameters, from-object, from-file), or a "default" alternative`,
        );
      }
      chosen = 'default';
    } else {
      const text = typeof target === 'string' ? target : JSON.stringify(target);
      const match = matchKey(keys, text);
      if (match.kind === 'several') return fail(`cannot resolve "${byKey}": ${attribute} "${text}" matches several keys: ${match.keys.join(', ')}`);
      if (match.kind === 'none') {
        return fail(`cannot resolve "${byKey}": ${attribute} is "${text}", which matches none of the keys, and there is no "default"`, `one of: ${keys.join(', ')}`);
      }
      chosen = match.key;
    }
    taken.push(byKey, chosen);
    value = alternatives[chosen];
  }
  return { ok: true, value, taken };
}
