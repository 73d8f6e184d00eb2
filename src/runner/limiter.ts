// Concurrency per provider that backs off under rate limiting: on a 429 the limit halves
// (never below 1); after a run of successes it grows by one again, up to the configured
// maximum (additive increase, multiplicative decrease, as TCP does).

export class AdaptiveLimiter {
  private active = 0;
  private streak = 0;
  private readonly waiting: Array<() => void> = [];
  limit: number;

  constructor(readonly max: number) {
    this.limit = max;
  }

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.active <= this.limit ? this.waiting.shift() : undefined;
    if (next) next();
    else this.active--;
  }

  rateLimited(): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.streak = 0;
  }

  succeeded(): void {
    if (this.limit >= this.max) return;
    if (++this.streak >= this.limit) {
      this.limit++;
      this.streak = 0;
      // A raised limit admits a waiting task at once.
      if (this.active < this.limit) {
        const next = this.waiting.shift();
        if (next) (this.active++, next());
      }
    }
  }

  get inFlight(): number {
    return this.active;
  }
}
