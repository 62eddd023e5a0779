/** How often a task is tried before it is given up, and how long to wait between tries. */
export const MAX_ATTEMPTS = 5;

/** 1 min, 2 min, 4 min ... capped at an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempts - 1), 3600);
}

/** CPE faults worth another try later: the CPE was busy or briefly unable (TR-069 A.5.1). */
export function isRetryableFault(code: number): boolean {
  return code === 9002 || code === 9004;
}
