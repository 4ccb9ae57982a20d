import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {stringify} from 'yaml'

import type {CertPaths} from './certs.js'

export interface PidInfo {
  pid: number
  port: number
  url: string
  tool: string
  uid: number
  started: string
}

export const pidFile = (dataDir: string): string => join(dataDir, 'sandbox.pid')
export const logFile = (dataDir: string): string => join(dataDir, 'sandbox.log')
export const kubeconfigPath = (dataDir: string): string => join(dataDir, 'kube', 'config')
export const configPath = (dataDir: string): string => join(dataDir, 'toolforge.yaml')

export function readPidFile(dataDir: string): PidInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(pidFile(dataDir), 'utf8')) as PidInfo
    return Number.isInteger(info.pid) && info.pid > 0 ? info : undefined
  } catch {
    return undefined
  }
}

export function writePidFile(dataDir: string, info: PidInfo): void {
  writeFileSync(pidFile(dataDir), `${JSON.stringify(info)}\n`, {mode: 0o644})
}

export function removePidFile(dataDir: string, pid?: number): void {
  const info = readPidFile(dataDir)
  if (pid === undefined || info?.pid === pid || info === undefined) rmSync(pidFile(dataDir), {force: true})
}

/** Whether `pid` is a live sandbox server for this data dir (not a recycled pid). */
export function isSandboxProcess(pid: number, dataDir: string): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (pid === process.pid) return true
  if (!existsSync('/proc')) return true
  try {
    // A zombie has exited; only its parent has not collected it yet.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return cmdline.includes(dataDir)
  } catch {
    return false
  }
}

/**
 * A kubeconfig laid out like maintain-kubeusers writes it (config-auth.md §4.1): context `toolforge`,
 * namespace tool-<tool>, client certificate paths relative to the kubeconfig's directory.
 */
export function writeKubeconfig(dataDir: string, tool: string, url: string, certs: CertPaths): string {
  const path = kubeconfigPath(dataDir)
  mkdirSync(join(dataDir, 'kube'), {recursive: true, mode: 0o700})
  const user = `tf-${tool}`
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'toolforge',
    clusters: [{name: 'toolforge', cluster: {server: url, 'certificate-authority': certs.caCert}}],
    users: [{name: user, user: {'client-certificate': '../toolskube/client.crt', 'client-key': '../toolskube/client.key'}}],
    contexts: [{name: 'toolforge', context: {cluster: 'toolforge', user, namespace: `tool-${tool}`}}],
    preferences: {},
  }
  writeFileSync(path, stringify(doc), {mode: 0o600})
  return path
}

export function writeToolforgeConfig(dataDir: string, url: string, caFile: string): string {
  const path = configPath(dataDir)
  writeFileSync(path, stringify({api_gateway: {url, ca_file: caFile}}), {mode: 0o644})
  return path
}

/** Everything the sandbox keeps in its data dir; reset removes exactly these. */
export const STATE_ENTRIES = ['state.sqlite', 'state.sqlite-wal', 'state.sqlite-shm', 'home', 'kube', 'certs', 'toolskube', 'toolforge.yaml', 'sandbox.log', 'sandbox.pid', 'sandbox.json']
