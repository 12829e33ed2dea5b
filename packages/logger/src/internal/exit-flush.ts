/** Something holding buffered lines that must reach the disk before the process ends. */
export interface SyncFlushable {
  flushSync(): void;
}

const open = new Set<SyncFlushable>();

function flushAll(): void {
  for (const stream of open) {
    try {
      stream.flushSync();
    } catch {
      // The process is ending: nobody is left to tell, and the other streams still get flushed.
    }
  }
}

/**
 * Flushes the stream synchronously on `process.exit()`, an uncaught exception or a natural
 * end of the event loop. One `exit` listener serves every open stream; it is removed again
 * once none is left, so closed loggers leave nothing behind.
 */
export function flushOnExit(stream: SyncFlushable): void {
  if (open.size === 0) process.on('exit', flushAll);
  open.add(stream);
}

export function stopFlushOnExit(stream: SyncFlushable): void {
  if (!open.delete(stream)) return;
  if (open.size === 0) process.removeListener('exit', flushAll);
}
