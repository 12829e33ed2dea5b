import { connect } from 'node:net';

/** A decoded RESP2 reply: simple/bulk strings, integers, nil (`null`) and arrays. */
export type RespReply = string | number | null | readonly RespReply[];

/** Options for {@link sendCommand}. */
export interface SendCommandOptions {
  /** Host of the Redis server. */
  readonly host: string;
  /** Port of the Redis server. */
  readonly port: number;
  /** The command and its arguments, e.g. `['CLUSTER', 'INFO']`. */
  readonly args: readonly string[];
  /**
   * How long the whole exchange (connect, write, read) may take.
   * @default 1000 — a local Redis answers in well under a millisecond; longer means it is hung.
   */
  readonly timeoutMs?: number;
}

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: string[] = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

/** An error reply (`-ERR …`) sent by the server. */
export class RespError extends Error {
  override readonly name = 'RespError';
}

interface Parsed {
  readonly value: RespReply | RespError;
  readonly end: number;
}

/**
 * Parses one reply starting at `offset`; returns `undefined` when `buffer` does not
 * yet hold the whole reply.
 */
export function parseReply(buffer: Buffer, offset = 0): Parsed | undefined {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RespError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespReply[] = [];
      let position = next;
      for (let index = 0; index < count; index += 1) {
        const item = parseReply(buffer, position);
        if (item === undefined) return undefined;
        if (item.value instanceof RespError) return { value: item.value, end: item.end };
        items.push(item.value);
        position = item.end;
      }
      return { value: items, end: position };
    }
    default:
      throw new Error(`Unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/**
 * Sends one command over a fresh connection and resolves with the decoded reply.
 *
 * @throws {RespError} when the server answers with an error reply.
 * @throws {Error} when the connection fails or no reply arrives within `timeoutMs`.
 */
export function sendCommand(options: SendCommandOptions): Promise<RespReply> {
  const { host, port, args, timeoutMs = 1000 } = options;
  return new Promise<RespReply>((resolve, reject) => {
    const socket = connect({ host, port });
    let received: Buffer = Buffer.alloc(0);
    const finish = (error: Error | undefined, value?: RespReply): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve(value ?? null);
      else reject(error);
    };
    const timer = setTimeout(() => {
      finish(new Error(`${args.join(' ')} on ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    socket.on('connect', () => socket.write(encodeCommand(args)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      let parsed: Parsed | undefined;
      try {
        parsed = parseReply(received);
      } catch (error) {
        finish(error as Error);
        return;
      }
      if (parsed === undefined) return;
      if (parsed.value instanceof RespError) finish(parsed.value);
      else finish(undefined, parsed.value);
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () =>
      finish(new Error(`${host}:${port} closed the connection before answering ${args[0]}`)),
    );
  });
}
