// The image's tar and unzip, run through execa as the task's user. A tar is
// extracted while it downloads (its bytes go straight into `tar -x`, which
// runs the decompressor itself), so that the two overlap as in `curl | tar`; a
// zip needs the whole file (its directory is at the end), so it is extracted
// after. Either extracts into a staging directory (staging.ts) that only a
// verified download is moved out of.
import { execa, type ResultPromise } from 'execa';
import { once } from 'node:events';
import { logLine } from '../log.js';
import { DECOMPRESSORS, type Compression } from './archive-format.js';
import { FetchFailure } from './fetch-failure.js';

/** Lines of a tool's standard error kept to explain its failure (all are printed as they come). */
const KEPT_LINES = 20;
const LONGEST_LINE = 1000;

export interface TarExtraction {
  /** Resolves when tar can take more; rejects when tar has stopped. */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends tar's input and waits for it: a failure (not retried: the archive is the same next time) names tar's complaint. */
  finish(): Promise<void>;
  /** Stops tar (the download failed). */
  abort(): Promise<void>;
}

export function startTar(dir: string, compression: Compression | undefined, label: string): TarExtraction {
  const args = ['-x', '-f', '-'];
  // -I rather than --zstd and friends: tar older than 1.31 (Ubuntu 20.04) knows no --zstd.
  if (compression !== undefined) args.push('-I', DECOMPRESSORS[compression]);
  const child = execa('tar', args, { cwd: dir, stdin: 'pipe', stdout: 'ignore', stderr: 'pipe', buffer: false, reject: false });
  const complaints = keepComplaints(child, label);
  const stdin = child.stdin!;
  // A write after tar has exited fails with EPIPE; tar's own status and words say more.
  stdin.on('error', () => {});
  const ended = child.then((result) => result);
  const stopped = async () => new FetchFailure(await describeExit('tar', args, ended, complaints), false);

  // tar stops reading at the archive's end marker and exits 0: zeros padding
  // the file beyond it are still downloaded (and hashed), but go nowhere.
  let done = false;
  const stoppedEarly = async () => {
    if ((await ended).exitCode !== 0) throw await stopped();
    done = true;
  };
  return {
    async write(chunk) {
      if (done) return;
      if (child.exitCode !== null || stdin.destroyed) return stoppedEarly();
      if (stdin.write(chunk)) return;
      // once() rejects on 'error' (EPIPE when tar is gone): then tar's status says what happened.
      const drained = once(stdin, 'drain').then(
        () => 'drained' as const,
        () => 'ended' as const,
      );
      const result = await Promise.race([drained, ended.then(() => 'ended' as const)]);
      if (result === 'ended') return stoppedEarly();
    },
    async finish() {
      if (!done) stdin.end();
      const result = await ended;
      if (result.exitCode !== 0) throw await stopped();
    },
    async abort() {
      stdin.destroy();
      child.kill('SIGKILL');
      await ended;
    },
  };
}

/** Extracts the zip `file` into `dir` (overwriting, as fetch-content's `unzip -o`). */
export async function unzip(file: string, dir: string, label: string): Promise<void> {
  const args = ['-q', '-o', file, '-d', dir];
  const child = execa('unzip', args, { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false });
  const complaints = keepComplaints(child, label);
  const ended = child.then((result) => result);
  const result = await ended;
  if (result.exitCode !== 0) throw new FetchFailure(await describeExit('unzip', args, ended, complaints), false);
}

type Ended = Promise<{ exitCode?: number; signal?: string; failed: boolean; cause?: unknown }>;

async function describeExit(program: string, args: string[], ended: Ended, complaints: () => string[]): Promise<string> {
  const result = await ended;
  const said = complaints().join(' / ');
  const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
  if (result.exitCode === undefined && code === 'ENOENT') {
    return `${program} is not installed (not found in PATH); the image needs it to extract fetches`;
  }
  const how = result.exitCode !== undefined ? `exited with status ${result.exitCode}` : `was killed by ${result.signal ?? 'a signal'}`;
  return `${program} ${args.join(' ')} ${how}${said ? `: ${said}` : ''}`;
}

/** Prints the tool's standard output and error under the fetch's label, and keeps the last lines. */
function keepComplaints(child: ResultPromise, label: string): () => string[] {
  const kept: string[] = [];
  let pending = '';
  const onData = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    if (pending.length > LONGEST_LINE) {
      lines.push(pending);
      pending = '';
    }
    for (const line of lines) emit(line);
  };
  const emit = (raw: string) => {
    const line = escapeControls(raw.length > LONGEST_LINE ? `${raw.slice(0, LONGEST_LINE)}…` : raw);
    if (line.trim() === '') return;
    logLine('fetches', `${label}: ${line}`);
    kept.push(line);
    if (kept.length > KEPT_LINES) kept.shift();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return () => {
    if (pending !== '') {
      emit(pending);
      pending = '';
    }
    return kept;
  };
}

const escapeControls = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
