import {mkdirSync} from 'node:fs'
import {dirname} from 'node:path'

import Database from 'better-sqlite3'

export type SandboxJobType = 'one-off' | 'scheduled' | 'continuous' | 'webservice'

export interface JobRecord {
  tool: string
  name: string
  jobType: SandboxJobType
  /** Only the fields the user sent (what include_unset=false returns). */
  spec: Record<string, unknown>
  /** The job with every API default resolved (what include_unset=true returns, minus status). */
  resolved: Record<string, unknown>
  created: string
  updated: string
  restartedAt: string | null
  lastSchedule: string | null
  /** Host port of the Service-like proxy, kept stable across restarts. */
  servicePort: number | null
  /** What the runtime needs beyond the API view: the pod's accounted resources. */
  runtime: {resources: {requestsCpu: number; requestsMemory: number; limitsCpu: number; limitsMemory: number}}
}

export type WorkloadKind = 'job' | 'deployment'

export interface WorkloadRecord {
  id: number
  tool: string
  job: string
  jobCreated: string
  name: string
  kind: WorkloadKind
  manual: boolean
  created: string
  finished: string | null
  outcome: 'succeeded' | 'failed' | null
  reason: string | null
  /** Set once the object would have been garbage-collected (TTL) or deleted; kept as history. */
  gone: boolean
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed'

export interface PodRecord {
  id: number
  workloadId: number
  tool: string
  job: string
  name: string
  replica: number
  phase: PodPhase
  created: string
  started: string | null
  finished: string | null
  exitCode: number | null
  reason: string | null
  message: string | null
  restarts: number
  pid: number | null
  pidStart: string | null
  gone: boolean
}

export interface LogRecord {
  id: number
  pod: string
  container: string
  datetime: string
  message: string
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tools (name TEXT PRIMARY KEY, uid INTEGER NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
  tool TEXT NOT NULL, name TEXT NOT NULL, job_type TEXT NOT NULL, spec TEXT NOT NULL, resolved TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL, restarted_at TEXT, last_schedule TEXT, service_port INTEGER,
  runtime TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (tool, name));
CREATE TABLE IF NOT EXISTS envvars (tool TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tool, name));
CREATE TABLE IF NOT EXISTS workloads (
  id INTEGER PRIMARY KEY AUTOINCREMENT, tool TEXT NOT NULL, job TEXT NOT NULL, job_created TEXT NOT NULL,
  name TEXT NOT NULL, kind TEXT NOT NULL, manual INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL,
  finished TEXT, outcome TEXT, reason TEXT, gone INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS workloads_job ON workloads (tool, job, gone);
CREATE TABLE IF NOT EXISTS pods (
  id INTEGER PRIMARY KEY AUTOINCREMENT, workload_id INTEGER NOT NULL, tool TEXT NOT NULL, job TEXT NOT NULL,
  name TEXT NOT NULL, replica INTEGER NOT NULL DEFAULT 0, phase TEXT NOT NULL, created TEXT NOT NULL,
  started TEXT, finished TEXT, exit_code INTEGER, reason TEXT, message TEXT, restarts INTEGER NOT NULL DEFAULT 0,
  pid INTEGER, pid_start TEXT, gone INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS pods_workload ON pods (workload_id);
CREATE INDEX IF NOT EXISTS pods_job ON pods (tool, job, gone);
CREATE TABLE IF NOT EXISTS logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, tool TEXT NOT NULL, job TEXT NOT NULL, pod TEXT NOT NULL,
  container TEXT NOT NULL, datetime TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS logs_job ON logs (tool, job, id);
`

/** Lines kept per job; older ones are pruned so a chatty job cannot fill the disk. */
const LOG_LINES_KEPT = 20_000

type Row = Record<string, unknown>

const jobFromRow = (r: Row): JobRecord => ({
  tool: r.tool as string,
  name: r.name as string,
  jobType: r.job_type as SandboxJobType,
  spec: JSON.parse(r.spec as string) as Record<string, unknown>,
  resolved: JSON.parse(r.resolved as string) as Record<string, unknown>,
  created: r.created as string,
  updated: r.updated as string,
  restartedAt: (r.restarted_at as string | null) ?? null,
  lastSchedule: (r.last_schedule as string | null) ?? null,
  servicePort: (r.service_port as number | null) ?? null,
  runtime: JSON.parse(r.runtime as string) as JobRecord['runtime'],
})

const workloadFromRow = (r: Row): WorkloadRecord => ({
  id: r.id as number,
  tool: r.tool as string,
  job: r.job as string,
  jobCreated: r.job_created as string,
  name: r.name as string,
  kind: r.kind as WorkloadKind,
  manual: r.manual === 1,
  created: r.created as string,
  finished: (r.finished as string | null) ?? null,
  outcome: (r.outcome as WorkloadRecord['outcome']) ?? null,
  reason: (r.reason as string | null) ?? null,
  gone: r.gone === 1,
})

const podFromRow = (r: Row): PodRecord => ({
  id: r.id as number,
  workloadId: r.workload_id as number,
  tool: r.tool as string,
  job: r.job as string,
  name: r.name as string,
  replica: r.replica as number,
  phase: r.phase as PodPhase,
  created: r.created as string,
  started: (r.started as string | null) ?? null,
  finished: (r.finished as string | null) ?? null,
  exitCode: (r.exit_code as number | null) ?? null,
  reason: (r.reason as string | null) ?? null,
  message: (r.message as string | null) ?? null,
  restarts: r.restarts as number,
  pid: (r.pid as number | null) ?? null,
  pidStart: (r.pid_start as string | null) ?? null,
  gone: r.gone === 1,
})

const POD_COLUMNS: Record<string, string> = {
  phase: 'phase', started: 'started', finished: 'finished', exitCode: 'exit_code', reason: 'reason',
  message: 'message', restarts: 'restarts', pid: 'pid', pidStart: 'pid_start', gone: 'gone',
}

/**
 * Sandbox state in one SQLite file. WAL + synchronous=FULL means every statement that returned has
 * been fsynced, so the HTTP layer can acknowledge a write as soon as the call returns, and a kill -9
 * at any point leaves either the old or the new state.
 */
export class Store {
  readonly db: Database.Database

  constructor(path: string) {
    mkdirSync(dirname(path), {recursive: true})
    this.db = new Database(path)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(SCHEMA)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  // --- tools -------------------------------------------------------------------------------
  toolUid(name: string): number | undefined {
    const row = this.db.prepare('SELECT uid FROM tools WHERE name = ?').get(name) as Row | undefined
    return row ? (row.uid as number) : undefined
  }

  /** Records the tool the first time it is seen; later calls return the uid it was created with. */
  ensureTool(name: string, uid: number | undefined, now: string): number {
    const known = this.toolUid(name)
    if (known !== undefined) return known
    const next = uid ?? ((this.db.prepare('SELECT MAX(uid) AS m FROM tools').get() as Row).m as number | null ?? 50000) + 1
    this.db.prepare('INSERT INTO tools (name, uid, created) VALUES (?, ?, ?)').run(name, next, now)
    return next
  }

  // --- jobs --------------------------------------------------------------------------------
  listJobs(tool?: string): JobRecord[] {
    const rows = tool === undefined
      ? this.db.prepare('SELECT * FROM jobs ORDER BY tool, name').all()
      : this.db.prepare('SELECT * FROM jobs WHERE tool = ? ORDER BY name').all(tool)
    return (rows as Row[]).map(jobFromRow)
  }

  getJob(tool: string, name: string): JobRecord | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE tool = ? AND name = ?').get(tool, name) as Row | undefined
    return row ? jobFromRow(row) : undefined
  }

  putJob(job: JobRecord): void {
    this.db.prepare(`INSERT OR REPLACE INTO jobs
      (tool, name, job_type, spec, resolved, created, updated, restarted_at, last_schedule, service_port, runtime)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      job.tool, job.name, job.jobType, JSON.stringify(job.spec), JSON.stringify(job.resolved), job.created,
      job.updated, job.restartedAt, job.lastSchedule, job.servicePort, JSON.stringify(job.runtime))
  }

  setJobField(tool: string, name: string, field: 'restarted_at' | 'last_schedule' | 'service_port', value: string | number | null): void {
    this.db.prepare(`UPDATE jobs SET ${field} = ? WHERE tool = ? AND name = ?`).run(value, tool, name)
  }

  deleteJob(tool: string, name: string): void {
    this.db.prepare('DELETE FROM jobs WHERE tool = ? AND name = ?').run(tool, name)
  }

  // --- envvars -----------------------------------------------------------------------------
  listEnvvars(tool: string): Array<{name: string; value: string}> {
    return this.db.prepare('SELECT name, value FROM envvars WHERE tool = ? ORDER BY name').all(tool) as Array<{name: string; value: string}>
  }

  getEnvvar(tool: string, name: string): {name: string; value: string} | undefined {
    return this.db.prepare('SELECT name, value FROM envvars WHERE tool = ? AND name = ?').get(tool, name) as {name: string; value: string} | undefined
  }

  setEnvvar(tool: string, name: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO envvars (tool, name, value) VALUES (?, ?, ?)').run(tool, name, value)
  }

  deleteEnvvar(tool: string, name: string): void {
    this.db.prepare('DELETE FROM envvars WHERE tool = ? AND name = ?').run(tool, name)
  }

  // --- workloads (Kubernetes Jobs and Deployments) -------------------------------------------
  createWorkload(w: Omit<WorkloadRecord, 'id' | 'finished' | 'outcome' | 'reason' | 'gone'>): WorkloadRecord {
    const info = this.db.prepare(`INSERT INTO workloads (tool, job, job_created, name, kind, manual, created)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(w.tool, w.job, w.jobCreated, w.name, w.kind, w.manual ? 1 : 0, w.created)
    return this.workload(Number(info.lastInsertRowid))!
  }

  workload(id: number): WorkloadRecord | undefined {
    const row = this.db.prepare('SELECT * FROM workloads WHERE id = ?').get(id) as Row | undefined
    return row ? workloadFromRow(row) : undefined
  }

  finishWorkload(id: number, outcome: 'succeeded' | 'failed', reason: string | null, at: string): void {
    this.db.prepare('UPDATE workloads SET finished = ?, outcome = ?, reason = ? WHERE id = ? AND finished IS NULL')
      .run(at, outcome, reason, id)
  }

  markWorkloadGone(id: number): void {
    this.transaction(() => {
      this.db.prepare('UPDATE workloads SET gone = 1 WHERE id = ?').run(id)
      this.db.prepare('UPDATE pods SET gone = 1 WHERE workload_id = ?').run(id)
    })
  }

  /** Live (not garbage-collected) workloads, oldest first; all tools when `tool` is omitted. */
  liveWorkloads(tool?: string, job?: string): WorkloadRecord[] {
    let sql = 'SELECT * FROM workloads WHERE gone = 0'
    const args: string[] = []
    if (tool !== undefined) { sql += ' AND tool = ?'; args.push(tool) }
    if (job !== undefined) { sql += ' AND job = ?'; args.push(job) }
    return (this.db.prepare(sql + ' ORDER BY id').all(...args) as Row[]).map(workloadFromRow)
  }

  // --- pods (runs) ---------------------------------------------------------------------------
  createPod(p: {workloadId: number; tool: string; job: string; name: string; replica: number; created: string}): PodRecord {
    const info = this.db.prepare(`INSERT INTO pods (workload_id, tool, job, name, replica, phase, created)
      VALUES (?, ?, ?, ?, ?, 'Pending', ?)`).run(p.workloadId, p.tool, p.job, p.name, p.replica, p.created)
    return this.pod(Number(info.lastInsertRowid))!
  }

  pod(id: number): PodRecord | undefined {
    const row = this.db.prepare('SELECT * FROM pods WHERE id = ?').get(id) as Row | undefined
    return row ? podFromRow(row) : undefined
  }

  updatePod(id: number, patch: Partial<Omit<PodRecord, 'id' | 'workloadId' | 'tool' | 'job' | 'name' | 'replica' | 'created'>>): void {
    const sets: string[] = []
    const values: unknown[] = []
    for (const [key, value] of Object.entries(patch)) {
      sets.push(`${POD_COLUMNS[key]} = ?`)
      values.push(typeof value === 'boolean' ? (value ? 1 : 0) : value)
    }
    if (sets.length === 0) return
    this.db.prepare(`UPDATE pods SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
  }

  podsOfWorkload(workloadId: number): PodRecord[] {
    return (this.db.prepare('SELECT * FROM pods WHERE workload_id = ? ORDER BY id').all(workloadId) as Row[]).map(podFromRow)
  }

  /** Pods whose process may still exist (started, not finished), across tools: used for crash recovery. */
  unfinishedPods(): PodRecord[] {
    return (this.db.prepare("SELECT * FROM pods WHERE phase IN ('Pending', 'Running')").all() as Row[]).map(podFromRow)
  }

  // --- logs ----------------------------------------------------------------------------------
  appendLog(tool: string, job: string, line: Omit<LogRecord, 'id'>): LogRecord {
    const info = this.db.prepare('INSERT INTO logs (tool, job, pod, container, datetime, message) VALUES (?, ?, ?, ?, ?, ?)')
      .run(tool, job, line.pod, line.container, line.datetime, line.message)
    const id = Number(info.lastInsertRowid)
    if (id % 1000 === 0) {
      this.db.prepare('DELETE FROM logs WHERE tool = ? AND job = ? AND id <= ?').run(tool, job, id - LOG_LINES_KEPT)
    }
    return {id, ...line}
  }

  /** The last `count` lines of a job, oldest first. */
  tailLogs(tool: string, job: string, count: number): LogRecord[] {
    const rows = this.db.prepare(`SELECT id, pod, container, datetime, message FROM logs
      WHERE tool = ? AND job = ? ORDER BY id DESC LIMIT ?`).all(tool, job, count) as LogRecord[]
    return rows.reverse()
  }

  logsAfter(tool: string, job: string, afterId: number): LogRecord[] {
    return this.db.prepare(`SELECT id, pod, container, datetime, message FROM logs
      WHERE tool = ? AND job = ? AND id > ? ORDER BY id LIMIT 1000`).all(tool, job, afterId) as LogRecord[]
  }
}
