import { readFile, readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

/** The variable every command's environment carries, so its processes are found wherever they went. */
export const RUN_ID_VAR = 'CRONGUARD_RUN_ID';

const NUL = Buffer.from([0]);

/** A live process of a job: in its process group, or carrying its mark. */
export interface JobProcess {
  pid: number;
  /** The process's name as the kernel knows it (/proc/PID/stat, field 2). */
  name: string;
}

/**
 * Where a job's processes can be: pids are handed out in ascending order, so everything the command
 * started has a pid from the command's own up to the last one allocated, unless the counter wrapped
 * meanwhile. The fork counter of /proc/stat says whether it could have: then every pid is looked at.
 */
export class JobScope {
  private readonly forksAtStart: number | null;

  constructor(readonly runId: string, readonly pgid: number) {
    this.forksAtStart = forksSinceBoot();
  }

  /** `pid 123 (sleep)`: how a process is named in a record. */
  static describe(p: JobProcess): string {
    return `pid ${p.pid} (${p.name})`;
  }

  /** The job's live (not zombie) processes now; reads /proc asynchronously so timers keep their time. */
  async processes(): Promise<JobProcess[]> {
    const mark = Buffer.from(`\0${RUN_ID_VAR}=${this.runId}\0`);
    const candidates = await this.candidatePids();
    const found = await Promise.all(candidates.map(async (pid): Promise<JobProcess | null> => {
      const stat = await readOrNull(`/proc/${pid}/stat`);
      if (!stat) return null;
      const text = stat.toString('latin1');
      const close = text.lastIndexOf(')');
      const fields = text.slice(close + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') return null;
      const name = text.slice(text.indexOf('(') + 1, close);
      if (fields[2] === String(this.pgid)) return { pid, name };
      const environ = await readOrNull(`/proc/${pid}/environ`);
      // The mark counts only as a whole entry: NUL-framed on both sides.
      return environ && Buffer.concat([NUL, environ, NUL]).includes(mark) ? { pid, name } : null;
    }));
    return found.filter((p): p is JobProcess => p !== null && p.pid !== process.pid);
  }

  /** The pids that may belong to the job (see the class comment). */
  private async candidatePids(): Promise<number[]> {
    const all = (await readdir('/proc')).filter((e) => e.charCodeAt(0) <= 57).map(Number);
    const last = Number(readFirstLine('/proc/sys/kernel/ns_last_pid'));
    const max = Number(readFirstLine('/proc/sys/kernel/pid_max'));
    const forks = forksSinceBoot();
    const wrapped = !(last >= this.pgid) || this.forksAtStart === null || forks === null || forks - this.forksAtStart >= max - 300;
    return wrapped ? all : all.filter((pid) => pid >= this.pgid && pid <= last);
  }
}

/** The number of forks since boot (/proc/stat "processes"), or null when it cannot be read. */
function forksSinceBoot(): number | null {
  try {
    const m = /^processes (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function readFirstLine(path: string): string {
  try {
    return readFileSync(path, 'latin1').trim();
  } catch {
    return '';
  }
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}
