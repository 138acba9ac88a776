// One HTTP GET of an artifact, its body read as it comes. Redirects are
// followed (the queue answers with a redirect to the storage holding the
// artifact). The attempt is abandoned when nothing arrives for the idle
// timeout, from the request to the last byte: a stalled server fails the
// attempt instead of holding the task until its deadline.
//
// node:http rather than fetch(): fetch's web streams cost three times the
// CPU per byte (measured: 300 MB from 127.0.0.1 in 1.8 s against 0.55 s).
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createGunzip } from 'node:zlib';
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
const MAX_REDIRECTS = 10;

/** `headers` go with the request and, as with fetch-content's urllib, with every redirected one. */
export async function openDownload(url: string, idleTimeoutSeconds: number, headers: Readonly<Record<string, string>> = {}): Promise<Download> {
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
  const stop = () => {
    clearTimeout(timer);
    controller.abort();
  };

  let response: IncomingMessage;
  try {
    response = await follow(url, controller.signal, headers);
  } catch (error) {
    stop();
    if (error instanceof FetchFailure) throw error;
    throw timedOut ? idle() : new FetchFailure(networkReason(error), true);
  }
  const code = response.statusCode ?? 0;
  const status = `HTTP ${code}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
  if (code < 200 || code > 299) {
    const detail = await errorDetail(response).catch(() => '');
    stop();
    const retryable = code >= 500 || code === 408 || code === 429;
    throw new FetchFailure(`the server answered ${status}${detail ? ` (${detail})` : ''}`, retryable, code);
  }

  const length = response.headers['content-length'];
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let expectedBytes: number | undefined;
  let body: AsyncIterable<Uint8Array> = response;
  if (encoding === 'gzip' && !new URL(url).pathname.endsWith('.gz')) {
    // As fetch-content: an artifact stored gzip-encoded is decoded, unless its name says it is a .gz.
    body = response.pipe(createGunzip());
  } else if (encoding !== 'identity' && encoding !== 'gzip') {
    stop();
    throw new FetchFailure(`the server sent the artifact with Content-Encoding ${JSON.stringify(encoding)}, which run-task cannot decode`, false);
  } else if (length !== undefined) {
    if (!/^\d+$/.test(length.trim())) {
      stop();
      throw new FetchFailure(`the server's Content-Length ${JSON.stringify(length)} is not a number`, true);
    }
    expectedBytes = Number(length);
  }
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
  return { status, expectedBytes, chunks: chunks(), cancel: stop };
}

/** The response at the end of the redirects from `url`. */
async function follow(url: string, signal: AbortSignal, headers: Readonly<Record<string, string>>): Promise<IncomingMessage> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await get(current, signal, headers);
    const location = response.headers.location;
    const code = response.statusCode ?? 0;
    if (![301, 302, 303, 307, 308].includes(code) || location === undefined) return response;
    response.resume();
    if (redirects === MAX_REDIRECTS) throw new FetchFailure(`more than ${MAX_REDIRECTS} redirects (the last to ${location})`, false);
    current = new URL(location, current).href;
  }
}

function get(url: string, signal: AbortSignal, headers: Readonly<Record<string, string>>): Promise<IncomingMessage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new FetchFailure(`${url} is not a URL`, false));
  }
  const getter = parsed.protocol === 'https:' ? httpsGet : parsed.protocol === 'http:' ? httpGet : undefined;
  if (getter === undefined) return Promise.reject(new FetchFailure(`${url} is neither http nor https`, false));
  return new Promise((resolve, reject) => {
    // Names are case-insensitive: a User-Agent of the caller's replaces ours rather than going beside it.
    const ownAgent = Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent') ? {} : { 'user-agent': 'run-task (tc-payload)' };
    const request = getter(parsed, { signal, headers: { ...ownAgent, ...headers } }, resolve);
    request.on('error', reject);
  });
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

async function errorDetail(response: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    parts.push(chunk as Buffer);
    total += (chunk as Buffer).length;
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
  // The system's reason (ECONNREFUSED, …) may come as the cause of a wrapping error.
  const cause = (error as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause : error instanceof Error ? error : undefined;
  if (inner === undefined) return String(error);
  const code = (inner as NodeJS.ErrnoException).code;
  return code && !inner.message.includes(code) ? `${code}: ${inner.message}` : inner.message;
}

// What a server says is printed into the task's log: no control characters.
const escapeControls = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
