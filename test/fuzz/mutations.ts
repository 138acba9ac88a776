// Random, seeded mutations of a taskgraph tree for the fuzz test: what a
// careless edit, a bad merge or a broken disk does to YAML files. Each
// mutation returns a description, so that a failing case can be read (and is
// reproduced by its seed).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;

/** Every YAML file of the tree, and the parameters file, relative to `dir`, sorted. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out;
}

const WRONG_VALUES = ['[1, 2]', '{a: 1}', '~', '123', 'yes', '"text"', '-1', '0x1F', '1:30', '.inf', '2025-01-01', '*nowhere', '&a', '!!int x', "''", '{by-level: {}}', '{by-level: {"3": 1}}'];
const INSERTS = ['<<: *missing', 'dependencies: {self: x}', '? [a, b]\n: c', '\t', '%YAML 1.1', '---', '...', '- item', 'key: [unclosed', "'unterminated", '&anchor', '{{', '  extra: indented'];

type Mutation = (text: string, rnd: Random) => { text: string; what: string };

const lines = (text: string) => text.split('\n');

const MUTATIONS: Record<string, Mutation> = {
  'delete a line': (text, rnd) => {
    const l = lines(text);
    const i = Math.floor(rnd() * l.length);
    const removed = l.splice(i, 1);
    return { text: l.join('\n'), what: `line ${i + 1} (${JSON.stringify(removed[0])}) deleted` };
  },
  'delete a key with its block': (text, rnd) => {
    const l = lines(text);
    const keys = l.map((line, i) => [line, i] as const).filter(([line]) => /^\s*[\w-]+:/.test(line));
    if (!keys.length) return { text, what: 'no key to delete' };
    const [line, i] = pick(rnd, keys);
    const indent = line.search(/\S/);
    let end = i + 1;
    while (end < l.length && (l[end]!.trim() === '' || l[end]!.search(/\S/) > indent)) end++;
    l.splice(i, end - i);
    return { text: l.join('\n'), what: `key at line ${i + 1} (${line.trim()}) deleted with ${end - i - 1} lines under it` };
  },
  'change a value to a wrong type': (text, rnd) => {
    const l = lines(text);
    const values = l.map((line, i) => [line, i] as const).filter(([line]) => /^\s*[\w-]+:\s*\S/.test(line));
    if (!values.length) return { text, what: 'no value to change' };
    const [line, i] = pick(rnd, values);
    const value = pick(rnd, WRONG_VALUES);
    l[i] = line.replace(/:\s*\S.*$/, `: ${value}`);
    return { text: l.join('\n'), what: `line ${i + 1} (${line.trim()}) set to ${value}` };
  },
  'insert a line': (text, rnd) => {
    const l = lines(text);
    const i = Math.floor(rnd() * (l.length + 1));
    const indent = ' '.repeat(4 * Math.floor(rnd() * 4));
    const inserted = indent + pick(rnd, INSERTS);
    l.splice(i, 0, inserted);
    return { text: l.join('\n'), what: `${JSON.stringify(inserted)} inserted at line ${i + 1}` };
  },
  'truncate': (text, rnd) => {
    const at = Math.floor(rnd() * text.length);
    return { text: text.slice(0, at), what: `truncated to ${at} characters` };
  },
  'duplicate a line': (text, rnd) => {
    const l = lines(text);
    const i = Math.floor(rnd() * l.length);
    l.splice(i, 0, l[i]!);
    return { text: l.join('\n'), what: `line ${i + 1} written twice` };
  },
  'shift indentation': (text, rnd) => {
    const l = lines(text);
    const i = Math.floor(rnd() * l.length);
    l[i] = rnd() < 0.5 ? `  ${l[i]}` : l[i]!.replace(/^ {1,2}/, '');
    return { text: l.join('\n'), what: `indentation of line ${i + 1} changed` };
  },
};

/** Mutates one file of the tree in place; returns what was done. */
export function mutateFile(dir: string, file: string, rnd: Random): string {
  const path = join(dir, file);
  if (rnd() < 0.1) {
    // Random bytes, some not UTF-8, at a random place.
    const bytes = readFileSync(path);
    const at = Math.floor(rnd() * (bytes.length + 1));
    const noise = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => Math.floor(rnd() * 256)));
    writeFileSync(path, Buffer.concat([bytes.subarray(0, at), noise, bytes.subarray(at)]));
    return `${file}: ${noise.length} random bytes at byte ${at}`;
  }
  const name = pick(rnd, Object.keys(MUTATIONS));
  const { text, what } = MUTATIONS[name]!(readFileSync(path, 'utf8'), rnd);
  writeFileSync(path, text);
  return `${file}: ${what}`;
}

/** Swaps the kind.yml of two kinds (their tasks-from files stay behind). */
export function swapKinds(dir: string, rnd: Random): string {
  const kinds = readdirSync(join(dir, 'kinds')).sort();
  if (kinds.length < 2) return 'no kinds to swap';
  const a = pick(rnd, kinds);
  const b = pick(rnd, kinds.filter((k) => k !== a));
  const fa = join(dir, 'kinds', a, 'kind.yml');
  const fb = join(dir, 'kinds', b, 'kind.yml');
  const ta = readFileSync(fa);
  writeFileSync(fa, readFileSync(fb));
  writeFileSync(fb, ta);
  return `kind.yml of ${a} and ${b} swapped`;
}
