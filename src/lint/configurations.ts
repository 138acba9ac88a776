// The generate runs lint checks: keyed-by values and skip-untrusted differ by
// level, so every parameter set (each --params file, or the defaults) is
// generated at level 1 and level 3, unless `-p level=N` pins one level.
import { basename } from 'node:path';

export interface LintConfiguration {
  /** Shown in reports: `level 3`, `params.yml, level 1`. */
  name: string;
  paramsFile?: string;
  overrides: Record<string, string>;
}

export const LINT_LEVELS = ['1', '3'] as const;

export function lintConfigurations(paramsFiles: readonly string[], overrides: Readonly<Record<string, string>>): LintConfiguration[] {
  const levels = overrides.level !== undefined ? [overrides.level] : [...LINT_LEVELS];
  const bases: (string | undefined)[] = paramsFiles.length ? [...paramsFiles] : [undefined];
  const names = new Map<string | undefined, string>();
  for (const file of bases) {
    // Two files with one basename are told apart by their whole path.
    const short = file === undefined ? undefined : basename(file);
    const clash = bases.filter((f) => f !== undefined && basename(f) === short).length > 1;
    names.set(file, file === undefined ? '' : clash ? file : short!);
  }
  return bases.flatMap((file) =>
    levels.map((level) => ({
      name: [names.get(file), `level ${level}`].filter(Boolean).join(', '),
      paramsFile: file,
      overrides: { ...overrides, level },
    })),
  );
}
