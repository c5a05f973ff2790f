/**
 * Runs the latest request once requests have stopped for `delayMs`. A request
 * whose key is the one already waiting changes nothing: it neither restarts
 * the wait nor replaces the work. (An input that echoes its value back must
 * not put off, again and again, the work its last real change asked for.)
 */
export class KeyedDebounce {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pendingKey = '';

  constructor(private readonly delayMs: number) {}

  request(key: string, run: () => void): void {
    if (this.timer !== undefined && key === this.pendingKey) return;
    clearTimeout(this.timer);
    this.pendingKey = key;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      run();
    }, this.delayMs);
  }

  /** Drops the waiting request, if any. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
