const ignore = (): void => undefined;

/** Resolves when `signal` aborts (never without one). */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise(ignore);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

/**
 * Sends the store's commands in the order its methods were called. A command first needs
 * what the store learns from Redis once (the namespace's generation, Redis's clock): while
 * one call waits for that, later calls must not overtake it, or a `delete` called after a
 * `set` could reach Redis first. So when nothing is waiting and `prepare` answers at once,
 * the command is sent synchronously (the common case: no promise, no queue); otherwise it
 * waits behind every call before it, and each `send` runs right after its predecessor's.
 * ioredis then keeps the order on its connection.
 */
export class DispatchOrder {
  /** Calls whose command has not been sent yet. */
  #waiting = 0;
  /** Settles once the latest waiting call has sent its command (or failed to prepare). */
  #tail: Promise<void> = Promise.resolve();

  /**
   * Runs `send` with what `prepare` returns, after every earlier call's `send`. A call whose
   * `signal` aborted before its turn is not sent (it rejects with the signal's reason).
   */
  run<Prepared, Result>(
    prepare: () => Prepared | Promise<Prepared>,
    send: (prepared: Prepared) => Promise<Result>,
    signal?: AbortSignal,
  ): Promise<Result> {
    if (this.#waiting === 0) {
      let ready: Prepared | Promise<Prepared>;
      try {
        ready = prepare();
      } catch (error) {
        return Promise.reject(error);
      }
      if (!(ready instanceof Promise)) return send(ready);
      return this.#enqueue(ready, Promise.resolve(), send, signal);
    }
    const previous = this.#tail;
    return this.#enqueue(previous.then(prepare), previous, send, signal);
  }

  #enqueue<Prepared, Result>(
    ready: Promise<Prepared>,
    previous: Promise<void>,
    send: (prepared: Prepared) => Promise<Result>,
    signal: AbortSignal | undefined,
  ): Promise<Result> {
    this.#waiting += 1;
    // Registered before the tail's reaction: this send runs before the next call prepares.
    const sent = ready.then((prepared) => {
      if (signal?.aborted === true) throw signal.reason;
      return send(prepared);
    });
    // A call that gives up (its deadline passed) never sends: once the calls before it are
    // done, later calls stop waiting for it, so a preparation that never ends (a hung Redis)
    // cannot hold the store up for good.
    const settled = Promise.race([
      ready.then(ignore, ignore),
      previous.then(() => aborted(signal)),
    ]);
    this.#tail = settled;
    void settled.then(() => {
      this.#waiting -= 1;
    });
    return sent;
  }
}
