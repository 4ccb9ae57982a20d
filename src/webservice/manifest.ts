// $HOME/service.manifest (webservice.md §4.2): the state file upstream's `webservice` reads and writes.
// We keep its exact format — header, sorted block YAML, key names, `version: 4` — so a maintainer can
// switch between this CLI and the upstream one in either direction.

import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse as parseYaml, stringify} from 'yaml'

import {UserError} from '../api/errors.js'

export const MANIFEST_NAME = 'service.manifest'
export const MANIFEST_VERSION = 4

/** Keys upstream's `stop` removes, plus the two we add for --mount and --health-check-path. */
export const WEB_KEYS = [
  'distribution', 'release', 'web', 'buildservice-image', 'backend', 'cpu', 'memory', 'replicas', 'web::extra_args',
  'mount', 'health-check-path',
] as const

export interface ManifestValues {
  backend?: string
  web?: string
  cpu?: string
  memory?: string
  replicas?: number
  buildserviceImage?: string
  extraArgs?: string[]
  mount?: string
  healthCheckPath?: string
}

export class Manifest {
  constructor(
    readonly path: string,
    /** Everything in the file, unknown keys included, so saving never drops what another version wrote. */
    readonly data: Record<string, unknown>,
  ) {}

  static load(home: string): Manifest {
    const path = join(home, MANIFEST_NAME)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return new Manifest(path, {})
      throw new UserError(`Unable to read ${path} (${code ?? (error as Error).message})`)
    }
    let data: unknown
    try {
      data = parseYaml(text, {version: '1.1', maxAliasCount: 100})
    } catch {
      throw new UserError(`Unable to parse ${path}`, {details: `Remove it if you are not running a webservice: rm ${path}`})
    }
    if (data === null || data === undefined) return new Manifest(path, {})
    if (typeof data !== 'object' || Array.isArray(data)) throw new UserError(`Unable to parse ${path}: not a mapping`)
    return new Manifest(path, data as Record<string, unknown>)
  }

  get values(): ManifestValues {
    const str = (key: string) => {
      const value = this.data[key]
      return value === null || value === undefined || typeof value === 'object' ? undefined : String(value)
    }
    const replicas = Number(this.data.replicas)
    const extra = this.data['web::extra_args']
    return {
      backend: str('backend'),
      web: str('web'),
      cpu: str('cpu'),
      memory: str('memory'),
      replicas: Number.isInteger(replicas) && replicas >= 1 ? replicas : undefined,
      buildserviceImage: str('buildservice-image'),
      extraArgs: Array.isArray(extra) ? extra.map(String) : undefined,
      mount: str('mount'),
      healthCheckPath: str('health-check-path'),
    }
  }

  /** Record a running webservice. Keys of options not in effect are removed, so `-r 1` shrinks (Q-WS-03). */
  setWeb(values: Required<Pick<ManifestValues, 'backend' | 'web'>> & ManifestValues): void {
    const set = (key: string, value: unknown) => {
      if (value === undefined || (Array.isArray(value) && value.length === 0)) delete this.data[key]
      else this.data[key] = value
    }
    set('backend', values.backend)
    set('web', values.web)
    set('buildservice-image', values.buildserviceImage)
    set('cpu', values.cpu)
    set('memory', values.memory)
    set('replicas', values.replicas === undefined || values.replicas === 1 ? undefined : values.replicas)
    set('web::extra_args', values.extraArgs)
    set('mount', values.mount)
    set('health-check-path', values.healthCheckPath)
    this.data.version = MANIFEST_VERSION
  }

  /** What `stop` does: forget the webservice, keep the version and anything else. */
  clearWeb(): void {
    for (const key of WEB_KEYS) delete this.data[key]
    this.data.version = MANIFEST_VERSION
  }

  save(now = new Date()): void {
    // Upstream created `service.manifest~` with O_EXCL, so one left behind by a crash broke every later
    // save (Q-WS-10); overwriting it keeps the atomic rename without that trap.
    const tmp = `${this.path}~`
    writeFileSync(tmp, renderManifest(this.data, now), {mode: 0o644})
    renameSync(tmp, this.path)
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Python's `time.asctime()` in local time: `Sun Nov 22 07:59:21 2026`, day padded with a space. */
export function asctime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  return `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${time} ${date.getFullYear()}`
}

/** Header plus `yaml.safe_dump(default_flow_style=False)`: sorted keys, block style, YAML 1.1 quoting. */
export function renderManifest(data: Record<string, unknown>, now: Date): string {
  const header = ['# This file is used by Toolforge infrastructure.', '# Please do not edit manually at this time.', `# ${asctime(now)}`]
  const body = stringify(data, {version: '1.1', sortMapEntries: true, indentSeq: false, singleQuote: true, lineWidth: 0})
  return `${header.join('\n')}\n${body}`
}
