// One channel for the command's stdout and stderr together, so that its lines
// reach the log in the order it wrote them. Node.js cannot create a pipe, so
// this is a connected pair of Unix sockets (what Node.js gives a child for
// 'pipe' anyway): one end becomes the command's fd 1 and 2, we read the other.
// The rendezvous socket lives in a fresh 0700 directory, so that no other user
// can connect in our place, and is removed as soon as the pair is connected.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OutputChannel {
  /** Given to the command as stdout and stderr; destroy it once the command is started. */
  commandEnd: Socket;
  /** Our end; `onChunk` receives the command's bytes in a buffer that is reused after the call. */
  reader: Socket;
}

/** Bigger reads mean fewer wake-ups for a chatty command. */
const READ_BUFFER_BYTES = 256 * 1024;

export async function openOutputChannel(onChunk: (bytes: Uint8Array) => void): Promise<OutputChannel> {
  const directory = mkdtempSync(join(tmpdir(), 'run-task-'));
  const path = join(directory, 'output');
  const server = createServer({ pauseOnConnect: true });
  try {
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const reader = connect({
      path,
      onread: {
        buffer,
        callback: (size: number, data: Uint8Array) => {
          if (size > 0) onChunk(data.subarray(0, size));
          return true;
        },
      },
    });
    await new Promise<void>((resolve, reject) => {
      reader.once('error', reject);
      reader.once('connect', resolve);
    });
    const commandEnd = await accepted;
    return { commandEnd, reader };
  } finally {
    server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
