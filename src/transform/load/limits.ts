// The limits that keep memory and time bounded whatever the input. Each is
// generous for the largest real trees and can be raised by an option (see
// docs/limits.md). They are set once per run, before loading, by the CLI (and
// by each thread of a parallel run, from the same options): the YAML reader
// is called from many places, none of which should have to carry them.

export interface Limits {
  /** Bytes of one input file (kind.yml, tasks-from file, config.yml, parameters). `--max-file-size`. */
  maxFileBytes: number;
  /** Nesting depth of one YAML document. `--max-yaml-depth`. */
  maxYamlDepth: number;
  /** Values in one YAML document once its aliases are expanded. `--max-yaml-nodes`. */
  maxYamlNodes: number;
  /** Aliases (`*name`) used in one YAML document. `--max-yaml-aliases`. */
  maxYamlAliases: number;
  /** Bytes of the JSON that generate writes. `--max-output-size`. */
  maxOutputBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxFileBytes: 64 * 1024 * 1024,
  maxYamlDepth: 200,
  maxYamlNodes: 2_000_000,
  maxYamlAliases: 1_000_000,
  // Node.js cannot hold a string much longer than 512 Mi characters anyway.
  maxOutputBytes: 512 * 1024 * 1024,
};

let current: Limits = { ...DEFAULT_LIMITS };

export function setLimits(overrides: Partial<Limits> | undefined): void {
  current = { ...DEFAULT_LIMITS, ...overrides };
}

export const limits = (): Readonly<Limits> => current;

/** Command-line option of each limit, for messages. */
export const LIMIT_OPTIONS: Readonly<Record<keyof Limits, string>> = {
  maxFileBytes: '--max-file-size',
  maxYamlDepth: '--max-yaml-depth',
  maxYamlNodes: '--max-yaml-nodes',
  maxYamlAliases: '--max-yaml-aliases',
  maxOutputBytes: '--max-output-size',
};
