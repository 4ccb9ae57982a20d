import {spawn} from 'node:child_process'
import {request} from 'node:http'
import {connect} from 'node:net'

import type {HealthCheck} from '../api/jobs-types.js'

export type ProbeHandler = {exec: string} | {httpGet: string} | {tcpSocket: true}

/** Kubelet timings of jobs-api's probes (kubernetes-objects.md §4.3). */
export const STARTUP_PROBE = {periodMs: 1000, failureThreshold: 120, timeoutMs: 5000}
export const LIVENESS_PROBE = {periodMs: 10_000, failureThreshold: 3, timeoutMs: 5000}

/** Which handler jobs-api would put on the probes; undefined when it sets none (no check, UDP port). */
export function probeHandler(healthCheck: HealthCheck | null | undefined, port: number | null | undefined, protocol: string): ProbeHandler | undefined {
  const tcpPort = port !== null && port !== undefined && protocol === 'tcp'
  if (healthCheck?.type === 'script') return {exec: healthCheck.script}
  if (healthCheck?.type === 'http') return tcpPort ? {httpGet: healthCheck.path} : undefined
  return tcpPort ? {tcpSocket: true} : undefined
}

export interface ProbeResult {
  ok: boolean
  message: string
}

function execProbe(script: string, env: Record<string, string>, cwd: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', script], {cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    const collect = (chunk: Buffer): void => {
      if (output.length < 1024) output += chunk.toString('utf8')
    }
    child.stdout?.on('data', collect)
    child.stderr?.on('data', collect)
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Gone already.
      }
      resolve({ok: false, message: `command timed out: "${script}" timed out after ${timeoutMs / 1000}s`})
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ok: false, message: error.message})
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      const text = output.trim()
      resolve(code === 0 ? {ok: true, message: ''} : {ok: false, message: text || `command "${script}" exited with ${code ?? 'a signal'}`})
    })
  })
}

function httpProbe(port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  const url = `http://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`
  return new Promise((resolve) => {
    const req = request(url, {method: 'GET', timeout: timeoutMs, headers: {'User-Agent': 'kube-probe/1.31'}}, (res) => {
      res.resume()
      const status = res.statusCode ?? 0
      resolve(status >= 200 && status < 400 ? {ok: true, message: ''} : {ok: false, message: `HTTP probe failed with statuscode: ${status}`})
    })
    req.on('timeout', () => {
      req.destroy()
      resolve({ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`})
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ok: false, message: `Get "${url}": dial tcp 127.0.0.1:${port}: connect: ${error.code === 'ECONNREFUSED' ? 'connection refused' : error.message}`})
    })
    req.end()
  })
}

function tcpProbe(port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port, timeout: timeoutMs})
    socket.on('connect', () => {
      socket.destroy()
      resolve({ok: true, message: ''})
    })
    socket.on('timeout', () => {
      socket.destroy()
      resolve({ok: false, message: `dial tcp 127.0.0.1:${port}: i/o timeout`})
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ok: false, message: `dial tcp 127.0.0.1:${port}: connect: ${error.code === 'ECONNREFUSED' ? 'connection refused' : error.message}`})
    })
  })
}

export function runProbe(handler: ProbeHandler, ctx: {port: number | undefined; env: Record<string, string>; cwd: string; timeoutMs: number}): Promise<ProbeResult> {
  if ('exec' in handler) return execProbe(handler.exec, ctx.env, ctx.cwd, ctx.timeoutMs)
  if (ctx.port === undefined) return Promise.resolve({ok: false, message: 'no port'})
  if ('httpGet' in handler) return httpProbe(ctx.port, handler.httpGet, ctx.timeoutMs)
  return tcpProbe(ctx.port, ctx.timeoutMs)
}
