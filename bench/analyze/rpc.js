// Request/response over postMessage between the bench page and an implementation's worker.
// The worker side serves named operations; each reply carries the result and the time the
// worker spent in the operation (performance.now() around it, inside the worker).

/**
 * In a worker: answers {id, op, arg} messages with {id, result, ms} or {id, error}; `ready`
 * is always served.
 */
export function serve(handlers) {
  const ops = { ready: () => true, ...handlers };  // "ready": the worker has loaded
  self.onmessage = async ({ data: { id, op, arg } }) => {
    try {
      if (!(op in ops)) throw new Error(`unknown operation ${op}`);
      const t0 = performance.now();
      const result = await ops[op](arg);
      const ms = performance.now() - t0;
      self.postMessage({ id, result, ms });
    } catch (e) {
      self.postMessage({ id, error: String((e && e.stack) || e) });
    }
  };
}

/** On the page: a worker whose operations are promises. */
export class WorkerClient {
  constructor(url) {
    this.worker = new Worker(url, { type: 'module' });
    this.pending = new Map();
    this.next = 0;
    this.worker.onmessage = ({ data }) => {
      const p = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.error) p.reject(new Error(data.error));
      else p.resolve(data);
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`worker ${url}: ${e.message}`));
      this.pending.clear();
    };
  }

  /** Runs `op` in the worker; resolves to {result, ms}. */
  call(op, arg) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, arg });
    });
  }

  close() {
    this.worker.terminate();
  }
}
