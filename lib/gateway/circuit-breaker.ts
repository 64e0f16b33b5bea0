// Skips a failing deployment for a while. After `threshold` consecutive failures the circuit
// opens for `openMs`; then one trial request is let through (half-open): success closes it,
// failure opens it again.
export class CircuitBreaker {
  // `provider` names the deployment's provider for /metrics.
  private readonly state = new Map<string, { failures: number; openUntil: number; trialInFlight: boolean; provider: string }>();

  constructor(
    private readonly threshold = 3,
    private readonly openMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** May this deployment be tried now? Claims the half-open trial when it is due. */
  allow(id: string): boolean {
    const s = this.state.get(id);
    if (!s || s.failures < this.threshold) return true;
    if (this.now() < s.openUntil || s.trialInFlight) return false;
    s.trialInFlight = true;
    return true;
  }

  success(id: string): void {
    this.state.delete(id);
  }

  failure(id: string, provider = ""): void {
    const s = this.state.get(id) ?? { failures: 0, openUntil: 0, trialInFlight: false, provider };
    s.failures += 1;
    s.trialInFlight = false;
    if (s.failures >= this.threshold) s.openUntil = this.now() + this.openMs;
    this.state.set(id, s);
  }

  isOpen(id: string): boolean {
    const s = this.state.get(id);
    return Boolean(s && s.failures >= this.threshold && this.now() < s.openUntil);
  }

  /** Deployments that have failed lately and their circuit's state, for /metrics. */
  *circuits(): Generator<{ id: string; provider: string; state: "closed" | "open" | "half_open" }> {
    const now = this.now();
    for (const [id, s] of this.state) {
      const state = s.failures < this.threshold ? "closed" : s.trialInFlight ? "half_open" : now < s.openUntil ? "open" : "half_open";
      yield { id, provider: s.provider, state };
    }
  }
}
