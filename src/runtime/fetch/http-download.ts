// One HTTP GET of an artifact, its body read as it comes. Redirects are
// followed (the queue answers with a redirect to the storage holding the
// artifact). The attempt is abandoned when nothing arrives for the idle
// timeout, from the request to the last byte: a stalled server fails the
// attempt instead of holding the task until its deadline.
import { FetchFailure } from './fetch-failure.js';

export interface Download {
  /** The status line, for the log: `HTTP 200 OK`. */
  status: string;
  /** Content-Length, when the server gives one and the body is not content-encoded (then the length is of the encoded bytes). */
  expectedBytes: number | undefined;
  chunks: AsyncIterable<Uint8Array>;
  /** Stops the transfer (when whatever consumes the body failed). */
  cancel(): void;
}

/** Taskcluster's services answer errors as JSON `{code, message}`; no more of the body is read. */
const ERROR_BODY_LIMIT = 64 * 1024;

export async function openDownload(url: string, idleTimeoutSeconds: number): Promise<Download> {
  const controller = new AbortController();
  let timedOut = false;
  // One timer for the whole transfer, not one per chunk: when it fires early
  // (data came meanwhile) it waits for the rest of the idle time again.
  const idleMs = idleTimeoutSeconds * 1000;
  let lastData = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const quiet = performance.now() - lastData;
    if (quiet >= idleMs) {
      timedOut = true;
      controller.abort();
    } else {
      timer = setTimeout(check, idleMs - quiet);
    }
  };
  timer = setTimeout(check, idleMs);
  const arm = () => {
    lastData = performance.now();
  };
  const idle = () => new FetchFailure(`no data from the server for ${idleTimeoutSeconds} s`, true);

  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
  } catch (error) {
    clearTimeout(timer);
    throw timedOut ? idle() : new FetchFailure(networkReason(error), true);
  }
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (!response.ok || response.body === null) {
    const detail = await errorDetail(response).catch(() => '');
    clearTimeout(timer);
    controller.abort();
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    throw new FetchFailure(`the server answered ${status}${detail ? ` (${detail})` : ''}`, retryable, response.status);
  }

  const length = response.headers.get('content-length');
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  let expectedBytes: number | undefined;
  if (length !== null && !encoded) {
    if (!/^\d+$/.test(length.trim())) throw new FetchFailure(`the server's Content-Length ${JSON.stringify(length)} is not a number`, true);
    expectedBytes = Number(length);
  }
  const body = response.body;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) {
        arm();
        yield chunk;
      }
    } catch (error) {
      throw timedOut ? idle() : new FetchFailure(`the transfer broke off: ${networkReason(error)}`, true);
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    status,
    expectedBytes,
    chunks: chunks(),
    cancel: () => {
      clearTimeout(timer);
      controller.abort();
    },
  };
}

/** A small JSON or text body, read whole (chain-of-trust.json), within `limit` bytes. */
export async function downloadSmall(url: string, idleTimeoutSeconds: number, limit: number): Promise<Buffer> {
  const download = await openDownload(url, idleTimeoutSeconds);
  if (download.expectedBytes !== undefined && download.expectedBytes > limit) {
    download.cancel();
    throw new FetchFailure(`it is ${download.expectedBytes} bytes long, more than the ${limit} expected at most`, false);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of download.chunks) {
    total += chunk.length;
    if (total > limit) {
      download.cancel();
      throw new FetchFailure(`it is more than ${limit} bytes long`, false);
    }
    parts.push(chunk);
  }
  if (download.expectedBytes !== undefined && total !== download.expectedBytes) {
    throw new FetchFailure(`the transfer ended after ${total} of the ${download.expectedBytes} bytes announced`, true);
  }
  return Buffer.concat(parts);
}

async function errorDetail(response: Response): Promise<string> {
  if (response.body === null) return '';
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    parts.push(chunk);
    total += chunk.length;
    if (total >= ERROR_BODY_LIMIT) break;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    return '';
  }
  if (typeof parsed !== 'object' || parsed === null) return '';
  const { code, message } = parsed as { code?: unknown; message?: unknown };
  const firstLine = typeof message === 'string' ? message.split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 300) : undefined;
  return escapeControls([typeof code === 'string' ? code : undefined, firstLine].filter(Boolean).join(': '));
}

export function networkReason(error: unknown): string {
  // fetch reports "fetch failed" or "terminated" and keeps the system's reason as its cause.
  const cause = (error as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause : error instanceof Error ? error : undefined;
  if (inner === undefined) return String(error);
  const code = (inner as NodeJS.ErrnoException).code;
  return code && !inner.message.includes(code) ? `${code}: ${inner.message}` : inner.message;
}

// What a server says is printed into the task's log: no control characters.
const escapeControls = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
