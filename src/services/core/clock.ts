/**
 * Runs the periodic work of a node (inject delivery, alert re-sends, condition checks) one
 * job at a time: a slow tick delays the next instead of piling up.
 */
export class Clock {
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<string>();

  constructor(
    private readonly onError: (job: string, err: unknown) => void,
    /**
     * Whether this node runs `job` now: in a cluster, only the node holding the job's lease does, so that each
     * re-send, reminder and condition happens once (default: always, one node).
     */
    private readonly gate: (job: string) => Promise<boolean> = async () => true,
  ) {}

  every(job: string, intervalMs: number, work: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      if (this.running.has(job)) return;
      this.running.add(job);
      this.gate(job)
        .then((mine) => (mine ? work() : undefined))
        .catch((err) => this.onError(job, err))
        .finally(() => this.running.delete(job));
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
