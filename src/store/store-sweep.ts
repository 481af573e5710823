// The store port: sweep's side (src/store/store.ts gathers the whole port).
import type { CrontabSeen, JobFacts, ProblemKey, SweepSnapshot, SweepVerdict } from '../shared/sweep-model.ts';

/** Sweep's side: its judgement of jobs and runs, its problem state and its own log (status reads it too). */
export interface SweepRepo {
  /**
   * One sweep: reads everything there is to judge (no lock held) and lets `decide` judge it; then, in one
   * short BEGIN IMMEDIATE transaction, re-reads what is running, the open problems and the sweep log, judges
   * again only if they changed meanwhile, records the crontab jobs seen (first-seen times kept), writes the
   * verdict and logs the sweep at `at`, so two sweeps never both report the same news.
   */
  sweep<T extends SweepVerdict>(at: string, crontab: CrontabSeen[], decide: (snapshot: SweepSnapshot) => T): Promise<T>;
  /**
   * Called once the sweep's report is out (printed, flushed): its new problems count as told, its printed
   * resolutions are forgotten. Until then they stay news for the next sweep: a sweep that dies between
   * deciding and printing loses no alarm (at worst two sweeps at once both print it).
   */
  markReported(at: string, news: { reported: ProblemKey[]; resolved: ProblemKey[] }): Promise<void>;
  /**
   * What `sweep` would decide now, reading the same snapshot and writing nothing (sweep --all, --dry-run).
   * With a host (sweep --host), that host's part only: its running runs, and the jobs it ran or that its
   * crontab holds, judged by its runs and by its crontab lines alone (on PostgreSQL the lines its own
   * sweeps recorded, or `crontab` for this host; on SQLite, which keeps no host per line, `crontab`); no
   * sweep log (the watcher and the warnings are the sweeping host's own).
   */
  look<T extends SweepVerdict>(at: string, crontab: CrontabSeen[], decide: (snapshot: SweepSnapshot) => T, host?: string): Promise<T>;
  /**
   * Every job known from runs or crontabs, with its facts; with a host, only jobs that host ran, judged by its
   * runs. `failed` and the streak's `since` may be left null: how a failing run ended is for sweep's snapshot
   * (status, the report and forget never show it, and on SQLite it cost table rows per failing job).
   */
  jobs(host?: string): Promise<JobFacts[]>;
  /** When the latest sweep ran; null when none has. */
  lastSweepAt(): Promise<string | null>;
}
