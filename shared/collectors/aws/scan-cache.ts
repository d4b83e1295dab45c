/**
 * Answers that are the same for many targets of one scan: GuardDuty's detector per account and
 * region, managed IAM policy versions (AmazonEKSWorkerNodePolicy is attached to every node role).
 * One cache per scan, never longer: a Lambda container outlives runs, and yesterday's detector
 * state must not judge today's clusters. A failed read is not kept (the next target asks again).
 */
export class ScanReadCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(readonly scanId?: string) {}

  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key) as Promise<T> | undefined;
    if (cached) return cached;
    const pending = load();
    this.entries.set(key, pending);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    return pending;
  }
}
