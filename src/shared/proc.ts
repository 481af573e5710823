import { readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ProcessIdentity } from './types.ts';

/** The start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), or null when gone. */
export function processStartTicks(pid: number): string | null {
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = statFields(pid);
  return fields && fields[0] !== 'Z' ? (fields[19] ?? null) : null;
}

let hostOverride: string | null = null;

/** Names this host otherwise than the system does (CRONGUARD_HOST: containers sharing one kernel name). */
export function useHostName(name: string): void {
  hostOverride = name;
}

/** This host's name as recorded with every run: CRONGUARD_HOST when set, else the system's hostname. */
export function hostName(): string {
  return hostOverride ?? hostname();
}

/** The identity of this process. */
export function selfIdentity(): ProcessIdentity {
  return { host: hostName(), pid: process.pid, startTicks: processStartTicks(process.pid) };
}

/**
 * Whether a recorded process is still the same one: on this host, alive, and started at the
 * recorded time (a reused pid has another start time). Undefined for another host: we cannot know.
 */
export function isProcessAlive(identity: ProcessIdentity): boolean | undefined {
  if (identity.host !== hostName()) return undefined;
  const ticks = processStartTicks(identity.pid);
  if (ticks === null) return false;
  return identity.startTicks === null || ticks === identity.startTicks;
}

/** The fields after the command name in /proc/PID/stat (field 3 first), or null when gone. */
function statFields(pid: string | number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Whether a live (not zombie) process is left in a process group. kill(-pgid, 0) answers cheaply that
 * none is; when it says some are, /proc tells the living from zombies nobody has reaped yet (an init
 * that does not reap would otherwise keep a killed group "alive" for ever).
 */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return groupMembers(pgid).length > 0;
}

/** The pids of the live processes in a process group, from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) > 57) continue;
    const fields = statFields(entry);
    if (fields && fields[0] !== 'Z' && fields[2] === String(pgid)) members.push(Number(entry));
  }
  return members;
}
