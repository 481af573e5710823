import { readFile, readdir } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';

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
  private readonly pidMax = Number(readFirstLine('/proc/sys/kernel/pid_max'));
  private readonly mark: Buffer;

  constructor(readonly runId: string, readonly pgid: number) {
    this.forksAtStart = forksSinceBoot();
    this.mark = Buffer.from(`\0${RUN_ID_VAR}=${runId}\0`);
  }

  /** `pid 123 (sleep)`: how a process is named in a record. */
  static describe(p: JobProcess): string {
    return `pid ${p.pid} (${p.name})`;
  }

  /** The job's live (not zombie) processes now; reads /proc asynchronously so timers keep their time. */
  async processes(): Promise<JobProcess[]> {
    const candidates = this.candidates(await readdir('/proc'));
    const found = await Promise.all(candidates.map(async (pid) => this.judge(pid, await readOrNull(`/proc/${pid}/stat`),
      () => readOrNull(`/proc/${pid}/environ`))));
    return found.filter((p): p is JobProcess => p !== null);
  }

  /**
   * The same, read synchronously: for the one look after the command ended by itself, where nothing is
   * left to keep time and a thread-pool round trip per file would only make every cron tick slower.
   */
  processesNow(): JobProcess[] {
    const found = this.candidates(readdirSync('/proc')).map((pid) => this.judge(pid, readOrNullSync(`/proc/${pid}/stat`),
      () => readOrNullSync(`/proc/${pid}/environ`)));
    return found.filter((p): p is JobProcess => p !== null);
  }

  /** A live process in the group or carrying the mark (as a whole NUL-framed entry), from its /proc files. */
  private judge(pid: number, stat: Buffer | null, environ: () => Buffer | null): JobProcess | null;
  private judge(pid: number, stat: Buffer | null, environ: () => Promise<Buffer | null>): Promise<JobProcess | null> | null;
  private judge(pid: number, stat: Buffer | null, environ: () => Buffer | null | Promise<Buffer | null>): JobProcess | null | Promise<JobProcess | null> {
    if (!stat || pid === process.pid) return null;
    const text = stat.toString('latin1');
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    const found = { pid, name: text.slice(text.indexOf('(') + 1, close) };
    if (fields[2] === String(this.pgid)) return found;
    const marked = (env: Buffer | null) => (env && Buffer.concat([NUL, env, NUL]).includes(this.mark) ? found : null);
    const env = environ();
    return env instanceof Promise ? env.then(marked) : marked(env);
  }

  /** The pids that may belong to the job (see the class comment), of the entries of /proc. */
  private candidates(entries: string[]): number[] {
    const all = entries.filter((e) => e.charCodeAt(0) <= 57).map(Number);
    const last = Number(readFirstLine('/proc/sys/kernel/ns_last_pid'));
    const forks = forksSinceBoot();
    const wrapped = !(last >= this.pgid) || this.forksAtStart === null || forks === null || forks - this.forksAtStart >= this.pidMax - 300;
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

function readOrNullSync(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}
