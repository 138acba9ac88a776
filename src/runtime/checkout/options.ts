// The per-repository options of run-task's command line, as taskgraph's
// run-task spells them: `--<prefix>-checkout PATH`, `--<prefix>-sparse-profile
// PROFILE` and the flag `--<prefix>-shallow-clone`. args.ts asks this module
// which of its options belong to a checkout, so the spelling lives in one place.

export type CheckoutOptionKind = 'checkout' | 'sparse-profile' | 'shallow-clone';

export interface CheckoutOption {
  prefix: string;
  kind: CheckoutOptionKind;
  /** False for the flag `--<prefix>-shallow-clone`. */
  takesValue: boolean;
}

const OPTION = /^--([A-Za-z0-9][A-Za-z0-9_-]*?)-(checkout|sparse-profile|shallow-clone)$/;

/** The checkout option an argument name (`--vcs-checkout`, without `=VALUE`) is, if any. */
export function checkoutOption(name: string): CheckoutOption | undefined {
  const match = OPTION.exec(name);
  if (!match) return undefined;
  const kind = match[2] as CheckoutOptionKind;
  return { prefix: match[1], kind, takesValue: kind !== 'shallow-clone' };
}

/** What the command line says about the repositories, by prefix. */
export interface CheckoutOptions {
  paths: Map<string, string>;
  sparseProfiles: Map<string, string>;
  shallowClones: Set<string>;
}

export function emptyCheckoutOptions(): CheckoutOptions {
  return { paths: new Map(), sparseProfiles: new Map(), shallowClones: new Set() };
}

export function recordCheckoutOption(options: CheckoutOptions, option: CheckoutOption, value: string | undefined): void {
  if (option.kind === 'checkout') options.paths.set(option.prefix, value!);
  else if (option.kind === 'sparse-profile') options.sparseProfiles.set(option.prefix, value!);
  else options.shallowClones.add(option.prefix);
}
