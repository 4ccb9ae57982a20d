import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

// Build and job names, URLs and paths come from users and scripts: on the client side none of them may
// reach a shell. Child processes are started with an argument vector (spawn/execFile), never a command
// line. src/sandbox is the exception on purpose: it stands in for the cluster, where a job's command IS
// a shell command line, run as the job's own user.

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const SHELL_BY_DESIGN = 'sandbox/'
const ALLOWED_IMPORTS = new Set(['spawn', 'execFile', 'type ChildProcess', 'type SpawnOptions'])

const files = (readdirSync(SRC, {recursive: true}) as string[]).filter((file) => file.endsWith('.ts')).map((file) => join(SRC, file))

function childProcessImports(text: string): string[] {
  const found: string[] = []
  for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"](?:node:)?child_process['"]/g)) {
    found.push(...match[1].split(',').map((name) => name.trim()).filter(Boolean))
  }

  if (/import\s+\*\s+as\s+\w+\s+from\s*['"](?:node:)?child_process['"]|require\(['"](?:node:)?child_process['"]\)/.test(text)) found.push('* (whole module)')
  return found
}

describe('reliability: no shell on the client side', () => {
  it('finds the sources', () => {
    expect(files.length).to.be.greaterThan(50)
  })

  for (const file of files) {
    const name = relative(SRC, file)
    if (name.startsWith(SHELL_BY_DESIGN)) continue
    const text = readFileSync(file, 'utf8')
    // Files that build pod specs name /bin/sh for the cluster to run; only those that start processes matter.
    if (!/child_process/.test(text)) continue
    it(`src/${name} starts processes without a shell`, () => {
      expect(childProcessImports(text).filter((imported) => !ALLOWED_IMPORTS.has(imported)), 'child_process functions').to.deep.equal([])
      expect(text).not.to.match(/shell\s*:\s*(true|['"`])/)
      expect(text).not.to.match(/\bexec(Sync|FileSync)?\s*\(\s*`/)
      expect(text).not.to.match(/['"]\/bin\/(ba)?sh['"]/)
      // spawn/execFile take the program first and its arguments as an array, never one string to split.
      for (const call of text.matchAll(/\b(spawn|execFile)\(\s*([^,)]+),\s*([^,)]+)/g)) {
        expect(call[3].trim(), `${call[0]}…`).to.match(/^\[|^[\w.]+$/)
      }
    })
  }

  it('src/sandbox runs a job command through /bin/sh -c, as the cluster does, and nothing else through a shell', () => {
    const shells = files
      .filter((file) => relative(SRC, file).startsWith(SHELL_BY_DESIGN))
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/spawn\('\/bin\/sh',\s*\[([^\]]*)\]/g)].map((m) => `${relative(SRC, file)}: ${m[1]}`))
    expect(shells.sort()).to.deep.equal(["sandbox/probes.ts: '-c', script", "sandbox/process.ts: '-c', '--', opts.command"])
  })
})
