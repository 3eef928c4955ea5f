/** Body bytes held across all requests, against one limit. */
export class BodyBudget {
  private held = 0;
  constructor(private readonly limit: number) {}

  get inFlight(): number {
    return this.held;
  }

  /** Holds `bytes` more if they fit; holds nothing otherwise. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held -= bytes;
  }
}
