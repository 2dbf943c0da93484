import { readFile } from 'node:fs/promises';

/** The kernel's clock tick for /proc times (USER_HZ), 100 on Linux. */
const CLOCK_TICKS_PER_S = 100;

/**
 * CPU µs (user + system, all threads) process `pid` has used so far, read from outside it in
 * `/proc/<pid>/stat` (10 ms resolution); NaN when the process is gone.
 */
export async function procCpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!stat) return Number.NaN;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS_PER_S;
}
