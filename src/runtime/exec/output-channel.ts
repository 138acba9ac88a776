// One channel for the command's stdout and stderr together, so that its lines
// reach the log in the order it wrote them. Node.js cannot create a pipe, so
// this is a connected pair of Unix sockets (what Node.js gives a child for
// 'pipe' anyway): one end becomes the command's fd 1 and 2, we read the other.
//
// The rendezvous is a socket in Linux's abstract namespace, not a file: no
// directory is needed (a long TMPDIR once cut the socket's path, which is
// limited to 108 bytes), and nothing is left behind, even when run-task is
// killed at start-up, since the kernel drops the name with the socket. Any
// process in the same network namespace could connect to such a name (and
// /proc/net/unix lists it), so the name is random and our end proves itself
// with a random token that only this process knows: any other connection is
// dropped, and a name already taken makes us pick another.
import { closeSync, openSync, readSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';

export interface OutputChannel {
  /** Given to the command as stdout and stderr; destroy it once the command is started. */
  commandEnd: Socket;
  /** Our end; `onChunk` receives the command's bytes in a buffer that is reused after the call. */
  reader: Socket;
}

/** Bigger reads mean fewer wake-ups for a chatty command. */
const READ_BUFFER_BYTES = 256 * 1024;
const TOKEN_BYTES = 16;
/** Names are 128 random bits: a clash means someone squats on them; give up after a few. */
const NAME_ATTEMPTS = 5;

/** node:crypto costs several milliseconds to load; run-task starts for every task. */
function randomBytes(n: number): Buffer {
  const bytes = Buffer.alloc(n);
  const fd = openSync('/dev/urandom', 'r');
  try {
    let length = 0;
    while (length < n) length += readSync(fd, bytes, length, n - length, null);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

export async function openOutputChannel(onChunk: (bytes: Uint8Array) => void): Promise<OutputChannel> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openOnce(onChunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === NAME_ATTEMPTS) throw error;
    }
  }
}

function openOnce(onChunk: (bytes: Uint8Array) => void): Promise<OutputChannel> {
  const name = `\0run-task-${randomBytes(16).toString('hex')}`;
  const token = randomBytes(TOKEN_BYTES);
  const server = createServer({ pauseOnConnect: true });
  return new Promise<OutputChannel>((resolve, reject) => {
    let reader: Socket | undefined;
    const fail = (error: Error) => {
      server.close();
      reader?.destroy();
      reject(error);
    };
    server.once('error', fail);
    server.on('connection', (candidate: Socket) => {
      // The token arrives in one segment in practice; reassemble it anyway.
      let received = Buffer.alloc(0);
      const onData = (data: Buffer) => {
        received = Buffer.concat([received, data]);
        if (received.length < TOKEN_BYTES) return;
        candidate.off('data', onData);
        candidate.pause();
        if (received.length !== TOKEN_BYTES || !received.equals(token)) {
          candidate.destroy();
          return;
        }
        server.off('error', fail);
        reader!.off('error', fail);
        server.close();
        resolve({ commandEnd: candidate, reader: reader! });
      };
      candidate.on('data', onData);
      candidate.on('error', () => candidate.destroy());
      candidate.resume();
    });
    // Binding is synchronous, so we can connect at once.
    server.listen(name, () => {
      reader = connect({
        path: name,
        onread: {
          buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
          callback: (size: number, data: Uint8Array) => {
            if (size > 0) onChunk(data.subarray(0, size));
            return true;
          },
        },
      });
      reader.once('error', fail);
      reader.write(token);
    });
  });
}
