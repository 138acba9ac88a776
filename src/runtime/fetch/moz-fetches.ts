// MOZ_FETCHES, as taskgraph's `fetches:` writes it into a task: a JSON list of
// the artifacts of other tasks to bring in before the command runs,
//
//   [{"artifact": "public/build/clang.tar.zst", "task": "<taskId>", "extract": true,
//     "dest": "clang", "verify-hash": true}, …]
//
// `dest` (a directory under MOZ_FETCHES_DIR) and `verify-hash` are optional;
// keys this list does not know are ignored, as taskgraph's fetch-content does.
import { RunTaskExit } from '../failure.js';

export interface FetchSpec {
  /** Position in MOZ_FETCHES, from 0, for errors. */
  index: number;
  artifact: string;
  task: string;
  extract: boolean;
  dest: string | undefined;
  /** Take the expected sha256 from the task's public/chain-of-trust.json. */
  verifyHash: boolean;
}

export const MOZ_FETCHES = 'MOZ_FETCHES';
export const MOZ_FETCHES_DIR = 'MOZ_FETCHES_DIR';

export function parseMozFetches(text: string): FetchSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid([`it is not JSON (${(error as Error).message})`]);
  }
  if (!Array.isArray(parsed)) throw invalid([`it is ${describe(parsed)}, not a list of fetches`]);
  const problems: string[] = [];
  const specs: FetchSpec[] = [];
  parsed.forEach((entry: unknown, index) => {
    const where = `fetch ${index + 1} of ${parsed.length}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} is ${describe(entry)}, not an object`);
      return;
    }
    const record = entry as Record<string, unknown>;
    const before = problems.length;
    const text = (key: string, required: boolean): string | undefined => {
      const value = record[key];
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'string' || value === '') {
        problems.push(`${where}: "${key}" must be a non-empty string, found ${describe(value)}`);
        return undefined;
      }
      return value;
    };
    const flag = (key: string, required: boolean): boolean => {
      const value = record[key];
      if (value === undefined && !required) return false;
      if (typeof value !== 'boolean') {
        problems.push(`${where}: "${key}" must be true or false, found ${describe(value)}`);
        return false;
      }
      return value;
    };
    const artifact = text('artifact', true);
    const task = text('task', true);
    const extract = flag('extract', true);
    const dest = text('dest', false);
    const verifyHash = flag('verify-hash', false);
    if (problems.length === before) specs.push({ index, artifact: artifact!, task: task!, extract, dest, verifyHash });
  });
  if (problems.length > 0) throw invalid(problems);
  return specs;
}

function invalid(problems: string[]): RunTaskExit {
  return new RunTaskExit(1, 'fetches', [
    `error: ${MOZ_FETCHES} is not a valid list of fetches: ${problems[0]}`,
    ...problems.slice(1).map((p) => `error: ${p}`),
    `expected a JSON list like [{"artifact": "public/build/tool.tar.zst", "task": "<taskId>", "extract": true}], ` +
      'with optional "dest" (a directory under MOZ_FETCHES_DIR) and "verify-hash"; ' +
      'taskgraph writes it from the fetches of the task definition',
  ]);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}`;
}
