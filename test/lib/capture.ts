/** Capture what an entry point prints with console.log when it runs in the test's own process. */
export function captureLog(): { stop(): string } {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  return {
    stop() {
      console.log = original;
      return lines.join('\n');
    },
  };
}
