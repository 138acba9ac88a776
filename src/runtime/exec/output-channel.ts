// One channel for the command's stdout and stderr together, so that its lines
// reach the log in the order it wrote them. Node.js cannot create a pipe, so
// this is a connected pair of Unix sockets (what Node.js gives a child for
// 'pipe' anyway): one end becomes the command's fd 1 and 2, we read the other.
// The rendezvous socket lives in a fresh 0700 directory, so that no other user
// can connect in our place, and is removed as soon as the pair is connected.
import { mkdtempSync, rmdirSync, unlinkSync } from 'node:fs';
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

export function openOutputChannel(onChunk: (bytes: Uint8Array) => void): Promise<OutputChannel> {
  const directory = mkdtempSync(join(tmpdir(), 'run-task-'));
  const path = join(directory, 'output');
  const server = createServer({ pauseOnConnect: true });
  const cleanUp = () => {
    // Closing the server removes its socket file; the directory is then empty.
    server.close();
    try {
      unlinkSync(path);
    } catch {
      // already removed by close()
    }
    rmdirSync(directory);
  };
  return new Promise<OutputChannel>((resolve, reject) => {
    const fail = (error: Error) => {
      cleanUp();
      reject(error);
    };
    server.once('error', fail);
    // Binding a path is synchronous, so we can connect at once; the pair is
    // ready when the server accepts, one turn of the event loop later.
    server.listen(path);
    const reader = connect({
      path,
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
        callback: (size: number, data: Uint8Array) => {
          if (size > 0) onChunk(data.subarray(0, size));
          return true;
        },
      },
    });
    reader.once('error', fail);
    server.once('connection', (commandEnd: Socket) => {
      reader.off('error', fail);
      cleanUp();
      resolve({ commandEnd, reader });
    });
  });
}
