import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CLK_TCK, dbName } from './config';

// ---------------------------------------------------------------- CPU accounting (/proc)

/** utime + stime of a process, in seconds (0 when it is gone). */
export function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** PostgreSQL processes serving this database, plus its shared background processes (WAL writer …). */
export function postgresPids(): number[] {
  const name = dbName();
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!cmd.startsWith('postgres: ')) continue;
    const isBackend = / \d+\.\d+\.\d+\.\d+\(\d+\)| \[local\]/.test(cmd);
    if (!isBackend || cmd.includes(` ${name} `)) pids.push(Number(entry));
  }
  return pids;
}

/** CPU seconds and command line of every process (to name what else ran on the machine). */
export function allProcesses(): Map<number, { cpu: number; cmd: string }> {
  const out = new Map<number, { cpu: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cpu = cpuOf(pid);
    if (!cpu) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      // gone
    }
    out.set(pid, { cpu, cmd: cmd || `[pid ${pid}]` });
  }
  return out;
}

/** Busy seconds of the whole machine (all cores) from /proc/stat. */
export function machineBusy(): number {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = v.map(Number);
  // user nice system idle iowait irq softirq steal
  return (n[0] + n[1] + n[2] + n[5] + n[6] + (n[7] || 0)) / CLK_TCK;
}

export interface CpuSnapshot {
  at: number;
  service: number;
  simulator: number;
  postgres: number;
  bench: number;
  machine: number;
}

/**
 * CPU seconds by process group, sampled every 250 ms per process: a PostgreSQL backend that
 * exits (a pool closing an idle connection) keeps what it used up to the last sample instead of
 * taking its whole life's CPU out of the sum.
 */
export function cpuTracker(
  servicePids: number[],
  simulatorPid: number,
): { snapshot: () => CpuSnapshot; stop: () => void; others: () => Array<{ cmd: string; seconds: number }> } {
  const atStart = allProcesses();
  const last = new Map<number, number>();
  const totals = { service: 0, simulator: 0, postgres: 0 };
  const groupOf = (pid: number): keyof typeof totals =>
    servicePids.includes(pid) ? 'service' : pid === simulatorPid ? 'simulator' : 'postgres';
  const sample = () => {
    for (const pid of [...servicePids, simulatorPid, ...postgresPids()]) {
      const cpu = cpuOf(pid);
      if (!cpu) continue;
      const before = last.get(pid);
      // A backend first seen now counts from its start only if it started after tracking began.
      if (before !== undefined) totals[groupOf(pid)] += Math.max(0, cpu - before);
      else if (started) totals[groupOf(pid)] += cpu;
      last.set(pid, cpu);
    }
  };
  let started = false;
  sample();
  started = true;
  const timer = setInterval(sample, 250);
  return {
    snapshot: () => {
      sample();
      const usage = process.cpuUsage();
      return { at: performance.now(), ...totals, bench: (usage.user + usage.system) / 1e6, machine: machineBusy() };
    },
    stop: () => clearInterval(timer),
    /** The processes outside this bench that used the most CPU since tracking began (those still running). */
    others: () => {
      const ours = new Set([...servicePids, simulatorPid, process.pid, ...last.keys()]);
      return [...allProcesses().entries()]
        .filter(([pid]) => !ours.has(pid))
        .map(([pid, p]) => ({ cmd: p.cmd.slice(0, 100), seconds: p.cpu - (atStart.get(pid)?.cpu ?? 0) }))
        .filter((p) => p.seconds >= 0.5)
        .sort((a, b) => b.seconds - a.seconds)
        .slice(0, 5);
    },
  };
}

export interface CpuPhase {
  seconds: number;
  service: number;
  simulator: number;
  postgres: number;
  bench: number;
  other: number;
}

export function cpuPhase(a: CpuSnapshot, b: CpuSnapshot): CpuPhase {
  const service = b.service - a.service;
  const simulator = b.simulator - a.simulator;
  const postgres = b.postgres - a.postgres;
  const bench = b.bench - a.bench;
  return {
    seconds: (b.at - a.at) / 1000,
    service,
    simulator,
    postgres,
    bench,
    other: Math.max(0, b.machine - a.machine - service - simulator - postgres - bench),
  };
}
