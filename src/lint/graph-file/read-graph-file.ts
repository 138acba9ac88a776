// The --graph arguments in: each file, or each *.json of a directory, read
// within the file-size limit and parsed, its form told (graph-forms.ts). A
// file that cannot be read or is not a task graph is a finding at that file;
// a JSON file of a directory that is not a task graph (label-to-taskid.json,
// actions.json, … beside the graphs in a decision task's artifacts) is
// skipped with a note.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { limits, LIMIT_OPTIONS } from '../../transform/load/limits.js';
import type { Finding } from '../finding.js';
import { RULES } from '../rules.js';
import { readGraphForm, type GraphEntry, type GraphForm } from './graph-forms.js';

export interface GraphFile {
  file: string;
  form: GraphForm;
  entries: GraphEntry[];
}

export interface ReadGraphs {
  files: GraphFile[];
  findings: Finding[];
  notes: string[];
}

function problem(file: string, message: string, hint: string, line = 1, column = 1): Finding {
  return {
    rule: RULES.invalidGraphFile.id,
    severity: RULES.invalidGraphFile.severity,
    message,
    location: { file, line, column },
    hint,
    related: [],
    configurations: [],
  };
}

/** JSON.parse names a character offset; people need a line and a column. */
function positionOf(text: string, message: string): { line: number; column: number } {
  const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? NaN);
  if (!Number.isFinite(offset)) return { line: 1, column: 1 };
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const FORM_HINT = "give taskgraph's full-task-graph.json or task-graph.json, or the output of tc-payload generate --resolve";

function readOne(file: string, inDirectory: boolean, out: ReadGraphs): void {
  let text: string;
  try {
    const size = statSync(file).size;
    const max = limits().maxFileBytes;
    if (size > max) {
      out.findings.push(problem(file, `the graph file is ${size} bytes, over the limit of ${max} bytes`, `raise it with ${LIMIT_OPTIONS.maxFileBytes} if a graph this big is meant`));
      return;
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    out.findings.push(problem(file, `cannot read the graph file: ${(error as Error).message}`, 'give an existing file or directory with --graph'));
    return;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    if (inDirectory) {
      out.notes.push(`skipped ${file}: not JSON`);
      return;
    }
    const { line, column } = positionOf(text, message);
    out.findings.push(problem(file, `the graph file is not valid JSON: ${message}`, FORM_HINT, line, column));
    return;
  }
  const read = readGraphForm(data);
  if (read.ok) {
    out.files.push({ file, form: read.form, entries: read.entries });
    return;
  }
  if (inDirectory) out.notes.push(`skipped ${file}: not a task graph (${read.problem})`);
  else out.findings.push(problem(file, `not a task graph: ${read.problem}${read.key !== undefined ? ` (at entry ${JSON.stringify(read.key)})` : ''}`, FORM_HINT));
}

export function readGraphFiles(paths: readonly string[]): ReadGraphs {
  const out: ReadGraphs = { files: [], findings: [], notes: [] };
  for (const path of paths) {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      // readOne reports it.
    }
    if (!isDirectory) {
      readOne(path, false, out);
      continue;
    }
    const before = out.files.length;
    for (const name of readdirSync(path).filter((n) => n.endsWith('.json')).sort()) readOne(join(path, name), true, out);
    if (out.files.length === before) {
      out.findings.push(problem(path, 'the directory holds no task graph (*.json)', FORM_HINT));
    }
  }
  return out;
}
