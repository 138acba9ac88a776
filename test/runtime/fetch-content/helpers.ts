// Shared by the fetch-content suites: the built dist/fetch-content run as a
// real process, a real HTTP server on 127.0.0.1, and the real tar to read
// what it wrote.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';

export const fetchContentBundle = join(repoRoot, 'dist', 'fetch-content');

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** dist/fetch-content with exactly `env` (plus PATH unless given). */
export function fetchContent(args: readonly string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<Result> {
  const full: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) full[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(fetchContentBundle, args, { env: full, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

export interface Served {
  body: Buffer | string;
  /** Answer this status instead. */
  status?: number;
  /** Answer 403 unless the request has this header (lower-case name) with this value. */
  requireHeader?: [string, string];
}

export interface FileServer {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders; rawHeaders: string[] }[];
  serve(path: string, served: Served): void;
}

export async function fileServer(t: { after: (fn: () => Promise<void>) => void }): Promise<FileServer> {
  const files = new Map<string, Served>();
  const requests: FileServer['requests'] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push({ path, headers: request.headers, rawHeaders: request.rawHeaders });
    const served = files.get(path);
    if (served === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      return void response.end('not found');
    }
    if (served.requireHeader && request.headers[served.requireHeader[0]] !== served.requireHeader[1]) {
      response.writeHead(403);
      return void response.end('forbidden');
    }
    if (served.status !== undefined) {
      response.writeHead(served.status);
      return void response.end('refused');
    }
    const body = Buffer.from(served.body);
    response.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, serve: (path, served) => files.set(path, served) };
}

/**
 * The entries of a .tar.zst as the real tar lists them: `<type and mode> <owner> <name>[ -> target]`,
 * without sizes and dates. Reading it with zstd also proves it is zstd-compressed.
 */
export function tarEntries(file: string, compression: 'zstd' | 'any' = 'zstd'): string[] {
  const text = execFileSync('tar', [...(compression === 'zstd' ? ['-I', 'zstd'] : []), '--numeric-owner', '-tvf', file], { encoding: 'utf8' });
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [mode, owner, , , , ...name] = line.split(/\s+/);
      return `${mode} ${owner} ${name.join(' ')}`;
    });
}

/** One member's content. */
export const tarMember = (file: string, member: string) => execFileSync('tar', ['-I', 'zstd', '-xOf', file, member], { encoding: 'utf8' });

/** The names in `dir`: a failed run leaves nothing, not even a temporary file. */
export const namesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
