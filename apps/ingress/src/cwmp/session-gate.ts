/**
 * The sessions one ingress process holds, bounded: a session is admitted when the request that starts it (an
 * Inform, or a first request on a connection without a session) gets a slot, and holds its slot until it ends or
 * stays idle longer than the session timeout. Past `limit`, requests that would start a session are refused
 * (503 + Retry-After, CPEs call again); a request of a session already admitted is never refused. That bounds the
 * memory a process spends on sessions instead of queueing them without end.
 */
export class SessionGate {
  /** Admitted sessions by id, with when they were last heard from (ms). */
  private readonly admitted = new Map<string, number>();
  /** Requests under way that hold a slot for a session they may open. */
  private starting = 0;

  constructor(
    readonly limit: number,
    private readonly idleMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Sessions held and being started; what the limit bounds. */
  get inFlight(): number {
    return this.admitted.size + this.starting;
  }

  holds(sessionId: string | undefined): boolean {
    if (sessionId === undefined || !this.admitted.has(sessionId)) return false;
    this.admitted.set(sessionId, this.now());
    return true;
  }

  /** A slot for a request that may open a session; false when the process is full. Give it back with `release`. */
  tryStart(): boolean {
    if (this.inFlight >= this.limit) this.forgetIdle();
    if (this.inFlight >= this.limit) return false;
    this.starting++;
    return true;
  }

  release(): void {
    this.starting--;
  }

  /** The session a started request opened keeps a slot until `end` (or until idle past the timeout). */
  admit(sessionId: string, replaces?: string): void {
    if (replaces !== undefined) this.admitted.delete(replaces);
    this.admitted.set(sessionId, this.now());
  }

  end(sessionId: string | undefined): void {
    if (sessionId !== undefined) this.admitted.delete(sessionId);
  }

  /** Sessions whose CPE went away without ending them: their database row has expired by now too. */
  private forgetIdle(): void {
    const before = this.now() - this.idleMs;
    for (const [id, seen] of this.admitted) if (seen < before) this.admitted.delete(id);
  }
}
