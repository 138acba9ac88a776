// fetch-content's command line, as taskgraph's fetch-content takes it (the
// fetch kind writes it into the task's command): a subcommand, its options
// (anywhere among the arguments, `--opt value` or `--opt=value`) and its
// positional arguments. Anything else is a UsageError naming what is wrong.
import { parseArgs } from 'node:util';
import { MOZ_FETCHES_DIR } from '../fetch/moz-fetches.js';
import { UsageError } from './failure.js';
import type { GitCheckoutArchiveArgs } from './git-checkout-archive.js';
import type { StaticUrlArgs } from './static-url.js';

export type Command =
  | { command: 'help'; about?: string }
  | { command: 'static-url'; args: StaticUrlArgs }
  | { command: 'git-checkout-archive'; args: GitCheckoutArchiveArgs }
  | { command: 'task-artifacts'; dest: string };

export const USAGE: Record<string, string> = {
  'static-url':
    'usage: fetch-content static-url --sha256 SHA256 --size SIZE [--gpg-sig-url URL --gpg-key-env VAR] [--strip-components N]\n' +
    '                                [--add-prefix PREFIX] [-H "Name: value"]... [--force-archive] URL DEST',
  'git-checkout-archive': 'usage: fetch-content git-checkout-archive [--path-prefix PREFIX] [--ssh-key-secret NAME] [--include-dot-git] REPO COMMIT DEST',
  'task-artifacts': `usage: fetch-content task-artifacts [-d DEST]   (DEST defaults to $${MOZ_FETCHES_DIR}; the artifacts are read from $MOZ_FETCHES)`,
};

export const GENERAL_USAGE = `usage: fetch-content {static-url,git-checkout-archive,task-artifacts} ...\n\n${Object.values(USAGE).join('\n')}`;

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('a subcommand is required');
  if (command === '-h' || command === '--help') return { command: 'help' };
  if (rest.includes('-h') || rest.includes('--help')) return { command: 'help', about: command };
  switch (command) {
    case 'static-url':
      return { command, args: staticUrlArgs(rest) };
    case 'git-checkout-archive':
      return { command, args: gitCheckoutArchiveArgs(rest) };
    case 'task-artifacts':
      return { command, dest: taskArtifactsDest(rest, env) };
    default:
      throw new UsageError(`unknown subcommand ${JSON.stringify(command)}; expected static-url, git-checkout-archive or task-artifacts`);
  }
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(command: string, args: readonly string[], options: O, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''), command);
  }
  if (parsed.positionals.length !== positionals.length) {
    const missing = positionals.slice(parsed.positionals.length);
    throw new UsageError(
      missing.length > 0
        ? `missing ${missing.join(' and ')}`
        : `too many arguments: ${parsed.positionals.slice(positionals.length).map((a) => JSON.stringify(a)).join(' ')}`,
      command,
    );
  }
  return { values: parsed.values as Record<string, string | string[] | boolean | undefined>, positionals: parsed.positionals };
}

function staticUrlArgs(argv: readonly string[]): StaticUrlArgs {
  const command = 'static-url';
  const { values, positionals } = parse(
    command,
    argv,
    {
      sha256: { type: 'string' },
      size: { type: 'string' },
      'gpg-sig-url': { type: 'string' },
      'gpg-key-env': { type: 'string' },
      'strip-components': { type: 'string' },
      'add-prefix': { type: 'string' },
      header: { type: 'string', short: 'H', multiple: true },
      'force-archive': { type: 'boolean' },
    },
    ['URL', 'DEST'],
  );
  const sha256 = values.sha256 as string | undefined;
  if (sha256 === undefined) throw new UsageError('--sha256 is required', command);
  if (!/^[0-9a-fA-F]{64}$/.test(sha256)) throw new UsageError(`--sha256 ${JSON.stringify(sha256)} is not a SHA-256 (64 hexadecimal digits)`, command);
  if (values.size === undefined) throw new UsageError('--size is required', command);
  const size = wholeNumber('--size', values.size as string, command);
  const stripComponents = values['strip-components'] === undefined ? 0 : wholeNumber('--strip-components', values['strip-components'] as string, command);
  const sigUrl = values['gpg-sig-url'] as string | undefined;
  const keyEnv = values['gpg-key-env'] as string | undefined;
  if ((sigUrl === undefined) !== (keyEnv === undefined)) throw new UsageError('--gpg-sig-url and --gpg-key-env must both be given, or neither', command);
  const [url, dest] = positionals as [string, string];
  checkUrl(url, 'URL', command);
  if (sigUrl !== undefined) checkUrl(sigUrl, '--gpg-sig-url', command);
  return {
    url,
    dest,
    sha256: sha256.toLowerCase(),
    size,
    headers: headers((values.header as string[] | undefined) ?? [], command),
    stripComponents,
    addPrefix: (values['add-prefix'] as string | undefined) ?? '',
    forceArchive: values['force-archive'] === true,
    gpg: sigUrl !== undefined ? { sigUrl, keyEnv: keyEnv! } : undefined,
  };
}

function gitCheckoutArchiveArgs(argv: readonly string[]): GitCheckoutArchiveArgs {
  const { values, positionals } = parse(
    'git-checkout-archive',
    argv,
    { 'path-prefix': { type: 'string' }, 'ssh-key-secret': { type: 'string' }, 'include-dot-git': { type: 'boolean' } },
    ['REPO', 'COMMIT', 'DEST'],
  );
  const [repo, commit, dest] = positionals as [string, string, string];
  return {
    repo,
    commit,
    dest,
    pathPrefix: values['path-prefix'] as string | undefined,
    sshKeySecret: values['ssh-key-secret'] as string | undefined,
    includeDotGit: values['include-dot-git'] === true,
  };
}

function taskArtifactsDest(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const { values } = parse('task-artifacts', argv, { dest: { type: 'string', short: 'd' } }, []);
  const dest = (values.dest as string | undefined) || env[MOZ_FETCHES_DIR];
  if (!dest) throw new UsageError(`no destination directory: pass -d DEST or set ${MOZ_FETCHES_DIR}`, 'task-artifacts');
  return dest;
}

function wholeNumber(option: string, text: string, command: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`${option} ${JSON.stringify(text)} is not a whole number`, command);
  return Number(text);
}

function checkUrl(url: string, what: string, command: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${what} ${JSON.stringify(url)} is not a URL`, command);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${what} ${JSON.stringify(url)} is neither http nor https`, command);
}

/** `-H "Name: value"`: split at the first colon, both sides trimmed. */
function headers(values: string[], command: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const header of values) {
    const colon = header.indexOf(':');
    const name = colon === -1 ? '' : header.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`-H ${JSON.stringify(header)} is not a header; expected "Name: value"`, command);
    result[name] = header.slice(colon + 1).trim();
  }
  return result;
}
