/**
 * Nest closes the app on SIGTERM/SIGINT (enableShutdownHooks). If closing
 * hangs (a stuck connection, a long job), exit anyway after `timeoutMs`.
 */
export function installShutdownTimeout(timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`Shutdown took longer than ${timeoutMs} ms; exiting.\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
