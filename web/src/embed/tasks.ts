// Ends the current task, so the browser can paint and take input between the widget's larger
// steps: none of them stays one long task on a slow phone (issue 9: no task over 50 ms at 4x
// CPU throttling). scheduler.yield() where the browser has it: its continuation runs ahead of
// ordinary tasks (the parser's, timers), so a step on the first question's path waits for no
// more than it must; else a timer.
export const nextTask = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
};

// A download that failed (the rest of the core: widget.ts; the outbox module: present.ts) is
// asked for again when the browser is back online, or after 10 s, then twice as long each time
// up to 5 minutes.
export const RETRY_FIRST_MS = 10_000;
export const nextRetryMs = (ms: number): number => Math.min(2 * ms, 300_000);
