// A Taskcluster queue on 127.0.0.1 for the fetch tests: serves artifacts at
// /api/queue/v1/task/<task>/artifacts/<name> as the real one does (after a
// redirect, as the queue sends clients to the storage holding the artifact),
// and can misbehave as servers do: fail a number of times, cut a transfer
// short, stall, trickle.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface Artifact {
  body: Buffer;
  /** Answer this status (with a Taskcluster-style JSON error) instead of the artifact. */
  status?: number;
  /** Answer 500 to this many requests first. */
  failFirst?: number;
  /** Announce the whole length, then close the connection after this many bytes. */
  truncateAt?: number;
  /** Never answer (the connection stays open). */
  silent?: boolean;
  /** Send this many bytes, then nothing more (the connection stays open). */
  stallAfter?: number;
  /** Send the body in pieces of this size, one every `trickleMs`. */
  trickleBytes?: number;
  trickleMs?: number;
  /** No Content-Length: the body is sent chunked. */
  chunked?: boolean;
  /** Sent gzip-compressed with Content-Encoding: gzip, as storage serves an artifact uploaded so. */
  gzipEncoded?: boolean;
}

export interface ArtifactServer {
  /** The root URL (TASKCLUSTER_ROOT_URL), or the proxy's. */
  url: string;
  /** Every request, as `GET /path`. */
  requests: string[];
  /** Serves `artifact` as `name` of `task`. */
  add(task: string, name: string, artifact: Artifact): void;
}

export async function artifactServer(t: { after: (fn: () => Promise<void>) => void }): Promise<ArtifactServer> {
  const artifacts = new Map<string, Artifact & { served: number }>();
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const url = request.url ?? '';
    if (url.startsWith('/api/queue/v1/task/')) {
      // The queue redirects to where the artifact is stored.
      response.writeHead(303, { location: `/storage/${url.slice('/api/queue/v1/task/'.length)}` });
      response.end();
      return;
    }
    const artifact = url.startsWith('/storage/') ? artifacts.get(decodeURIComponent(url.slice('/storage/'.length))) : undefined;
    if (artifact === undefined) return error(response, 404, 'ResourceNotFound', 'Artifact not found');
    artifact.served++;
    if (artifact.status !== undefined) return error(response, artifact.status, 'Refused', `status ${artifact.status}`);
    if (artifact.silent) {
      open.add(response);
      return;
    }
    if (artifact.failFirst !== undefined && artifact.served <= artifact.failFirst) return error(response, 500, 'InternalServerError', 'try again');
    const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream' };
    const body = artifact.gzipEncoded ? gzipSync(artifact.body) : artifact.body;
    if (artifact.gzipEncoded) headers['content-encoding'] = 'gzip';
    if (!artifact.chunked) headers['content-length'] = body.length;
    response.writeHead(200, headers);
    open.add(response);
    response.on('close', () => open.delete(response));
    if (artifact.truncateAt !== undefined) {
      response.write(body.subarray(0, artifact.truncateAt), () => response.socket?.destroy());
    } else if (artifact.stallAfter !== undefined) {
      response.write(body.subarray(0, artifact.stallAfter));
    } else if (artifact.trickleBytes !== undefined) {
      let offset = 0;
      const step = () => {
        if (response.destroyed) return;
        if (offset >= body.length) return void response.end();
        response.write(body.subarray(offset, offset + artifact.trickleBytes!));
        offset += artifact.trickleBytes!;
        setTimeout(step, artifact.trickleMs ?? 100);
      };
      step();
    } else {
      response.end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise((resolve) => {
        for (const response of open) response.socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    add: (task, name, artifact) => artifacts.set(`${task}/artifacts/${name}`, { ...artifact, served: 0 }),
  };
}

function error(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ code, message: `${message}\n\n---\n\n* method: getArtifact`, requestInfo: {} }));
}
