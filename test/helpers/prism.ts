import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse, stringify} from 'yaml'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const OPENAPI_DIR = join(ROOT, '..', 'shared', 'openapi')

export interface PrismServer {
  url: string
  /** Request violations Prism logged since the last call (a request that does not match the spec). */
  takeRequestViolations(): string[]
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

/**
 * The specs declare the gateway-added X-Toolforge-Tool header as their security scheme; the CLI never
 * sends it (the gateway adds it), so Prism is given a copy without the security requirement.
 */
function specWithoutSecurity(specFile: string, dir: string): string {
  const spec = parse(readFileSync(specFile, 'utf8')) as Record<string, unknown>
  delete spec.security
  for (const item of Object.values((spec.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const operation of Object.values(item)) {
      if (operation && typeof operation === 'object') delete (operation as Record<string, unknown>).security
    }
  }

  const out = join(dir, 'spec.yaml')
  writeFileSync(out, stringify(spec))
  return out
}

export async function startPrism(specName: string): Promise<PrismServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-prism-'))
  const spec = specWithoutSecurity(join(OPENAPI_DIR, specName), dir)
  const port = await freePort()
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/prism'), ['mock', spec, '-h', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1'},
  })
  let log = ''
  let consumed = 0
  const collect = (chunk: Buffer) => {
    log += chunk.toString()
  }

  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start within 30 s:\n${log}`)), 30_000)
    const check = () => {
      if (log.includes('Prism is listening')) {
        clearTimeout(timer)
        resolve()
      }
    }

    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Prism exited with ${code}:\n${log}`))
    })
  })

  return {
    url: `http://127.0.0.1:${port}`,
    takeRequestViolations() {
      const fresh = log.slice(consumed)
      consumed = log.length
      return fresh.split('\n').filter((line) => /Violation: request/.test(line))
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }

      rmSync(dir, {recursive: true, force: true})
    },
  }
}
