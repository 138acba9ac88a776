// `group-by` and `set-name` name a registered function, alone (`all`) or with
// its argument (`{attribute: platform}`). One reading of both forms, with the
// errors located at the option.
import type { Diagnostic, YamlPath } from '../../diagnostics.js';
import type { SourceMap } from '../../model.js';

interface Registered {
  checkArgument?(argument: unknown): string | undefined;
}

export function chooseFunction<T extends Registered>(
  option: string,
  written: unknown,
  lookup: (name: string) => T | undefined,
  names: () => string[],
  source: SourceMap,
  at: YamlPath,
): { ok: true; fn: T; argument: unknown } | { ok: false; diagnostic: Diagnostic } {
  const withArgument = typeof written === 'object' && written !== null;
  const name = withArgument ? Object.keys(written)[0]! : String(written);
  const argument = withArgument ? (written as Record<string, unknown>)[name] : undefined;
  const fail = (message: string, expected?: string, hint?: string) => ({
    ok: false as const,
    diagnostic: { severity: 'error' as const, message: `from_deps: ${message}`, path: at, location: source.locate(at), ...(expected ? { expected } : {}), ...(hint ? { hint } : {}) },
  });
  const fn = lookup(name);
  if (!fn) return fail(`${option} "${name}" is not a known function`, `one of: ${names().join(', ')}`);
  if (!fn.checkArgument && withArgument) return fail(`${option} "${name}" takes no argument`, `${option}: ${name}`);
  if (fn.checkArgument && !withArgument) return fail(`${option} "${name}" needs an argument`, `${option}: {${name}: <argument>}`);
  const problem = fn.checkArgument?.(argument);
  if (problem) return fail(problem);
  return { ok: true, fn, argument };
}
