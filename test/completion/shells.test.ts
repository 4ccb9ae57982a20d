import {spawn, spawnSync} from 'node:child_process'
import {once} from 'node:events'
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {accountKey} from '../../src/completion/cache.js'
import {CLI_BIN, CLI_NODE_ARGS, runCli, type RecordingServer, sendJson, startRecordingServer} from '../helpers/subprocess.js'
import {JOBS, makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// The generated completion scripts, loaded into real shells, calling the real CLI for every TAB.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const HAVE_ZSH = spawnSync('zsh', ['-fc', 'true']).status === 0

interface ShellRun {
  stdout: string
  stderr: string
  code: number | null
  ms: number
}

async function runShell(argv: string[], env: Record<string, string>, cwd: string): Promise<ShellRun> {
  const started = Date.now()
  const child = spawn(argv[0], argv.slice(1), {env, cwd, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const [code] = (await once(child, 'close')) as [number | null]
  clearTimeout(timer)
  return {stdout, stderr, code, ms: Date.now() - started}
}

/** Drives the bash function the way readline does: COMP_LINE/COMP_POINT plus bash's own word split. */
function bashTab(line: string, words?: string[]): string {
  const split = words ?? line.split(' ')
  const quoted = split.map((w) => `'${w}'`).join(' ')
  return [
    `COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(${quoted}); COMP_CWORD=${split.length - 1}; COMPREPLY=()`,
    '_toolforge',
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('\n')
}

describe('shell completion in real shells', function () {
  this.timeout(120_000)
  let tool: ToolEnv
  let work: string
  let env: Record<string, string>
  let server: RecordingServer
  const scripts: Record<string, string> = {}

  const cacheFile = (kind: string) => join(tool.home, '.cache', 'toolforge', 'completion', accountKey({HOME: tool.home, ...env}), `${kind}.json`)
  const bash = (body: string, extraEnv: Record<string, string> = {}, cwd = work) =>
    runShell(['bash', '--norc', '--noprofile', '-c', `source '${scripts.bash}'\n${body}`], {...env, ...extraEnv}, cwd)

  before(async () => {
    server = await startRecordingServer((request, res) => {
      if (request.url.startsWith(`${JOBS}/jobs`)) sendJson(res, 200, {jobs: [{name: 'nightly'}, {name: 'mybot'}]})
      else if (request.url.startsWith(`${JOBS}/images`)) sendJson(res, 200, {images: [{shortname: 'python3.11', image: 'x'}, {shortname: 'tool-mytool/tool-mytool:latest', image: 'y'}]})
      else sendJson(res, 404, {error: ['no such thing']})
    })
    work = mkdtempSync(join(tmpdir(), 'tf-shells-'))
    // `toolforge` on PATH, as after `npm link`: the development CLI, wherever the shell's cwd is.
    const bin = join(work, 'bin')
    mkdirSync(bin)
    const launcher = join(bin, 'toolforge')
    writeFileSync(launcher, `#!/bin/sh\ncd '${ROOT}' && exec '${process.execPath}' ${CLI_NODE_ARGS.join(' ')} '${CLI_BIN}' "$@"\n`)
    chmodSync(launcher, 0o755)
    for (const shell of ['bash', 'zsh']) {
      const generated = await runCli(['completion', shell], {env: {}})
      expect(generated.exitCode, generated.stderr).to.equal(0)
      scripts[shell] = join(work, `toolforge.${shell}`)
      writeFileSync(scripts[shell], generated.stdout)
    }

    mkdirSync(join(work, 'zfunc'))
    copyFileSync(scripts.zsh, join(work, 'zfunc', '_toolforge'))
  })
  after(async () => {
    await server.close()
    rmSync(work, {recursive: true, force: true})
  })
  beforeEach(() => {
    tool = makeToolEnv({apiUrl: server.url})
    env = {PATH: `${join(work, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: tool.home, XDG_CONFIG_HOME: join(tool.home, '.config'), TOOL_TOOLFORGE_API_URL: server.url, NO_COLOR: '1'}
  })
  afterEach(() => tool.restore())

  async function warmCache(...kinds: string[]): Promise<void> {
    for (const kind of kinds) {
      const refreshed = await runCli(['__complete', '--refresh', kind], {env})
      expect(refreshed.exitCode).to.equal(0)
      expect(existsSync(cacheFile(kind)), `${kind} cache`).to.equal(true)
    }
  }

  describe('bash', () => {
    it('registers _toolforge for toolforge and webservice', async () => {
      const {stdout} = await bash('complete -p toolforge webservice')
      expect(stdout).to.equal('complete -F _toolforge toolforge\ncomplete -F _toolforge webservice\n')
    })

    it('completes topics, commands and flags from the manifest, without an API or a tool account', async () => {
      rmSync(join(tool.home, '.kube'), {recursive: true})
      const {stdout, stderr} = await bash([bashTab('toolforge jo'), 'echo --', bashTab('toolforge jobs l'), 'echo --', bashTab('toolforge jobs list --j')].join('\n'))
      expect(stdout).to.equal('jobs\n--\nlist\nload\nlogs\n--\n--json\n')
      expect(stderr).to.equal('')
      expect(server.requests).to.have.length(0)
    })

    it('completes job names from a warm cache, and images across the = and : word breaks', async () => {
      await warmCache('jobs', 'images')
      server.requests.length = 0
      const {stdout} = await bash(
        [
          bashTab('toolforge jobs logs '),
          'echo --',
          bashTab('toolforge jobs show n'),
          'echo --',
          bashTab('toolforge jobs run x --image=tool-mytool/tool-mytool:l', ['toolforge', 'jobs', 'run', 'x', '--image', '=', 'tool-mytool/tool-mytool', ':', 'l']),
          'echo --',
          bashTab('webservice sta'),
        ].join('\n'),
      )
      expect(stdout).to.equal('mybot\nnightly\n--\nnightly\n--\nlatest\n--\nstart\nstatus\n')
      // A fresh cache is read, never refreshed.
      await sleep(300)
      expect(server.requests).to.have.length(0)
    })

    it('leaves file names to bash for file arguments', async () => {
      writeFileSync(join(work, 'jobs.yaml'), '[]\n')
      const {stdout} = await bash(bashTab('toolforge jobs load jo'))
      expect(stdout).to.equal('jobs.yaml\n')
    })

    it('with a cold cache and an API that never answers: nothing printed, the TAB is not held up', async () => {
      // Accepts connections and never answers: the worst case for a TAB that would wait on the API.
      const sockets: Socket[] = []
      const blackhole: Server = createServer((socket) => sockets.push(socket))
      blackhole.listen(0, '127.0.0.1')
      await once(blackhole, 'listening')
      const url = `http://127.0.0.1:${(blackhole.address() as {port: number}).port}`
      try {
        const {stdout, stderr, code, ms} = await bash(`${bashTab('toolforge jobs show ')}\necho "[\${#COMPREPLY[@]}]"`, {TOOL_TOOLFORGE_API_URL: url})
        expect(code).to.equal(0)
        expect(stdout).to.equal('\n[0]\n')
        expect(stderr).to.equal('')
        // The background refresh waits up to 10 s for this API; the TAB returned well before that.
        expect(ms).to.be.below(8000)
        const deadline = Date.now() + 15_000
        while (sockets.length === 0 && Date.now() < deadline) await sleep(50)
        expect(sockets.length, 'the background refresh reached the API').to.be.above(0)
      } finally {
        for (const socket of sockets) socket.destroy()
        blackhole.close()
        // Let the refresh give up (it releases its lock last) before the home folder is removed.
        const lock = cacheFile('jobs').replace(/json$/, 'lock')
        const deadline = Date.now() + 30_000
        while (existsSync(lock) && Date.now() < deadline) await sleep(100)
      }
    })

    it('a cold cache is filled in the background: the next TAB has the names', async () => {
      const first = await bash(bashTab('toolforge jobs delete '))
      expect(first.stdout).to.equal('\n')
      const deadline = Date.now() + 20_000
      while (!existsSync(cacheFile('jobs')) && Date.now() < deadline) await sleep(100)
      const second = await bash(bashTab('toolforge jobs delete '))
      expect(second.stdout).to.equal('mybot\nnightly\n')
    })
  })

  describe('zsh', function () {
    before(function () {
      // zsh is optional on developer machines; CI installs it (see docs/completion.md).
      if (!HAVE_ZSH) this.skip()
    })

    // compsys needs a terminal; its entry points are replaced by recorders, the rest is real zsh.
    const zsh = (words: string[], extraEnv: Record<string, string> = {}) => {
      const list = words.map((w) => `'${w}'`).join(' ')
      const body = [
        'compdef() { print -r -- "compdef $*" }',
        '_describe() { print -rl -- "${(@P)4}" }',
        '_files() { print -r -- FILES }',
        `source '${scripts.zsh}'`,
        `words=(${list}); CURRENT=${words.length}`,
        '_toolforge',
      ].join('\n')
      return runShell(['zsh', '-f', '-c', body], {...env, ...extraEnv}, work)
    }

    it('is found by compinit through fpath for toolforge and webservice', async () => {
      const body = `fpath=('${join(work, 'zfunc')}' $fpath); autoload -Uz compinit; compinit -u -d '${join(work, 'zcompdump')}'; print -r -- "$_comps[toolforge] $_comps[webservice]"`
      const {stdout, stderr} = await runShell(['zsh', '-f', '-c', body], env, work)
      expect(stdout).to.equal('_toolforge _toolforge\n')
      expect(stderr).to.equal('')
    })

    it('completes commands with descriptions and flags', async () => {
      const commands = await zsh(['toolforge', 'jobs', 'w'])
      expect(commands.stdout).to.equal('compdef _toolforge toolforge webservice\nwait:Wait for a one-off job to complete.\n')
      const flags = await zsh(['toolforge', 'jobs', 'wait', 'x', '--t'])
      expect(flags.stdout).to.include('--timeout:seconds to wait before giving up')
    })

    it('completes job names and escapes the colons of image names from a warm cache', async () => {
      await warmCache('jobs', 'images')
      const names = await zsh(['toolforge', 'jobs', 'restart', ''])
      expect(names.stdout.split('\n').slice(1)).to.deep.equal(['mybot', 'nightly', ''])
      const images = await zsh(['toolforge', 'jobs', 'run', 'x', '--image', 'tool'])
      expect(images.stdout.split('\n')[1]).to.equal('tool-mytool/tool-mytool\\:latest')
    })

    it('hands file arguments to _files, and stays silent with a cold cache', async () => {
      expect((await zsh(['toolforge', 'jobs', 'load', ''])).stdout).to.include('FILES')
      const cold = await zsh(['toolforge', 'jobs', 'show', ''], {TOOLFORGE_COMPLETION_REFRESH: '0'})
      expect(cold.stdout).to.equal('compdef _toolforge toolforge webservice\n')
      expect(cold.stderr).to.equal('')
    })
  })
})
