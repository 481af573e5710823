/**
 * Every job name in runs, one index seek each: the loose index scan SQLite does not do by itself.
 * Queries over all jobs name them with ALL_JOBS so that each job's range of the runs_by_job index is
 * read on its own (there is no index on started_at alone: see migration 3).
 */
export const WITH_JOB_NAMES = `WITH RECURSIVE job_names(name) AS (
  SELECT min(job) FROM runs
  UNION ALL SELECT (SELECT min(job) FROM runs WHERE job > name) FROM job_names WHERE name IS NOT NULL)`;
export const ALL_JOBS = 'job IN (SELECT name FROM job_names WHERE name IS NOT NULL)';
