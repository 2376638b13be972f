// Reads a process's CPU time and peak RSS from /proc (Linux only), the two resource numbers the bench reports.
import { readFileSync, readdirSync } from 'node:fs';
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

/**
 * CPU time of `pid` by kind of thread, in microseconds: `loop` is the main thread (the event loop), `niced` the
 * threads running at a lower priority than it (Sluice's spend write thread runs at nice 10), `helpers` the rest (V8's
 * GC and compiler threads, libuv's pool). Null if the process is gone.
 */
export function threadCpuMicros(pid) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const out = { loop: 0, niced: 0, helpers: 0 };
  for (const tid of tids) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const micros = ((Number(rest[11]) + Number(rest[12])) * 1e6) / clockTicksPerSecond();
    // Field 19 (nice) is index 16 here.
    if (tid === String(pid)) out.loop += micros;
    else if (Number(rest[16]) > 0) out.niced += micros;
    else out.helpers += micros;
  }
  return out;
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

/**
 * Time the hypervisor ran something else while this VM's cores wanted to run (steal, all cores), in microseconds.
 * machineBusyMicros counts it too; it is reported on its own because no process inside the VM explains it.
 */
export function machineStealMicros() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const steal = Number(line.trim().split(/\s+/)[8] ?? 0);
  return (steal * 1e6) / clockTicksPerSecond();
}

/** CPU time of this process plus its reaped children (cutime/cstime), in microseconds. */
export function selfAndChildrenMicros() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14])) * 1e6) / clockTicksPerSecond();
}
