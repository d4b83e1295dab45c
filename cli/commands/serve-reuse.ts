import type { ApiResult } from '../../shared/api/http.js';
import type { WriteCounts } from '../../shared/store/embedded.js';

interface Entry {
  /** Writes started when the answer began to be computed. */
  generation: number;
  at: number;
  answer: Promise<ApiResult>;
}

/**
 * Answers to GET requests, reused while the store has not changed. `serve` owns the embedded
 * store's server, which every writer (this process, a `scan --save` elsewhere) goes through, so
 * the write counts say exactly whether anything changed: an answer computed while no write was in
 * flight stays valid until the next write starts. Identical requests that arrive while one is
 * being computed share it (no write started in between, so it is the answer they would get).
 * Answers also age out after a moment: a few fields depend on the clock (a target's save lease,
 * an exemption's expiry). Bounded: the least recently used answers are dropped first.
 */
export class ResponseReuse {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly writes: () => WriteCounts,
    private readonly maxEntries = 256,
    private readonly maxAgeMs = 2_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async answer(key: string, compute: () => Promise<ApiResult>): Promise<ApiResult> {
    const before = this.writes();
    // A write in flight may be half applied: compute, and keep nothing.
    if (before.started !== before.finished) return compute();
    const found = this.entries.get(key);
    if (found && found.generation === before.started && this.clock() - found.at <= this.maxAgeMs) {
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, found);
      return found.answer;
    }
    const entry: Entry = { generation: before.started, at: this.clock(), answer: compute() };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    let result: ApiResult;
    try {
      result = await entry.answer;
    } catch (e) {
      this.forget(key, entry);
      throw e;
    }
    // Only a 200 computed with no write starting meanwhile is worth keeping.
    if (result.statusCode !== 200 || this.writes().started !== before.started) this.forget(key, entry);
    return result;
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
