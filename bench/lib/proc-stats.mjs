// Reads a process's CPU time and peak RSS from /proc (Linux only), the two resource numbers the bench reports.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let clkTck = 0;

/** Kernel clock ticks per second (USER_HZ), the unit of utime/stime in /proc/PID/stat. */
export function clockTicksPerSecond() {
  if (clkTck) return clkTck;
  try {
    clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    clkTck = 100;
  }
  return clkTck;
}

/** utime + stime of all threads of `pid`, in microseconds; null if the process is gone or /proc is missing. */
export function cpuMicros(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after "(comm)": index 0 is field 3 (state), so utime (14) is 11 and stime (15) is 12.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1e6) / clockTicksPerSecond();
}

/** Peak resident set size (VmHWM) of `pid` in bytes; null if unavailable. */
export function peakRssBytes(pid) {
  return statusKb(pid, 'VmHWM');
}

/** Current resident set size (VmRSS) of `pid` in bytes; null if unavailable. */
export function rssBytes(pid) {
  return statusKb(pid, 'VmRSS');
}

function statusKb(pid, field) {
  let status;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : null;
}

/** Busy CPU time of the whole machine (all cores, everything but idle and iowait), in microseconds. */
export function machineBusyMicros() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1e6) / clockTicksPerSecond();
}

/** CPU time of this process plus its reaped children (cutime/cstime), in microseconds. */
export function selfAndChildrenMicros() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14])) * 1e6) / clockTicksPerSecond();
}
