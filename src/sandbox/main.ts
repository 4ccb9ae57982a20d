// Entry point of the background sandbox server (spawned by startSandbox):
//   node dist/sandbox/main.js --data-dir DIR --port N [--tool NAME] [--uid N] [--quota KEY=VALUE]...

import {parseArgs} from 'node:util'

import {removePidFile, writePidFile} from './files.js'
import {DEFAULT_PORT, DEFAULT_TOOL, DEFAULT_UID, defaultDataDir} from './paths.js'
import {parseQuotaArgs} from './quota.js'
import {startServer} from './server.js'

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      'data-dir': {type: 'string'},
      port: {type: 'string'},
      tool: {type: 'string'},
      uid: {type: 'string'},
      host: {type: 'string'},
      quota: {type: 'string', multiple: true},
    },
    strict: true,
  })
  const dataDir = values['data-dir'] ?? defaultDataDir()
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port)
  const uid = values.uid === undefined ? DEFAULT_UID : Number(values.uid)
  const tool = values.tool ?? DEFAULT_TOOL
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`)
  if (!Number.isInteger(uid) || uid < 1) throw new Error(`invalid --uid ${values.uid}`)

  const server = await startServer({dataDir, port, tool, uid, host: values.host, quota: parseQuotaArgs(values.quota ?? [])})
  writePidFile(dataDir, {pid: process.pid, port: server.port, url: server.url, tool, uid, started: new Date().toISOString()})
  process.stdout.write(`toolforge sandbox listening on ${server.url} (pid ${process.pid})\n`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`received ${signal}, stopping all jobs\n`)
    server.close().then(
      () => {
        removePidFile(dataDir, process.pid)
        process.exit(0)
      },
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`)
        removePidFile(dataDir, process.pid)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  process.stderr.write(`toolforge sandbox: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
