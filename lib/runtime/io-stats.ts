// What `carton stats` adds to the cgroup's memory, CPU and pids: the bytes a container sent
// and received (its network namespace's /proc/net/dev, read through its PID 1) and the bytes
// it read and wrote on block devices (the v1 blkio controller, or v2's io.stat).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupDirsOf } from './exec.js';

/** Bytes received and sent on every interface but lo, as the container's namespace counts them. */
export function netBytes(pid: number): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  try {
    // Inter-|   Receive ... |  Transmit: "  eth0: RXBYTES packets … TXBYTES packets …"
    for (const line of readFileSync(`/proc/${pid}/net/dev`, 'utf8').split('\n').slice(2)) {
      const [name, rest] = line.split(':');
      if (!rest || name.trim() === 'lo') continue;
      const fields = rest.trim().split(/\s+/).map(Number);
      rx += fields[0];
      tx += fields[8];
    }
  } catch {
    // exited meanwhile
  }
  return { rx, tx };
}

/** Bytes read and written on block devices by the process's cgroup. */
export function blockBytes(pid: number): { read: number; write: number } {
  let read = 0;
  let write = 0;
  try {
    const dirs = cgroupDirsOf(pid);
    const v1 = dirs.find((d) => d.controllers.includes('blkio'));
    const v2 = dirs.find((d) => d.controllers.length === 0);
    if (v1) {
      for (const line of readFileSync(join(v1.dir, 'blkio.throttle.io_service_bytes'), 'utf8').split('\n')) {
        const [, op, n] = line.split(' ');
        if (op === 'Read') read += Number(n);
        if (op === 'Write') write += Number(n);
      }
    } else if (v2) {
      for (const line of readFileSync(join(v2.dir, 'io.stat'), 'utf8').split('\n')) {
        read += Number(/rbytes=(\d+)/.exec(line)?.[1] ?? 0);
        write += Number(/wbytes=(\d+)/.exec(line)?.[1] ?? 0);
      }
    }
  } catch {
    // no such controller here, or exited meanwhile
  }
  return { read, write };
}

/** Docker's sizes in stats: decimal units, three significant digits ("1.23kB", "648B", "12.3MB"). */
export function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${Number(n.toPrecision(3))}${units[i]}`;
}
