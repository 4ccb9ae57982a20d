import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {run} from '../helpers/run.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'
import {CONFIG_CASES} from './corpus/config.js'
import {FLAG_CASES} from './corpus/flags.js'
import {JOBS_YAML_CASES} from './corpus/jobs-yaml.js'
import {KUBECONFIG_CASES} from './corpus/kubeconfig.js'
import {TEMPLATE_CASES} from './corpus/template.js'
import type {Case} from './corpus/types.js'
import {check, watchRequests} from './tally.js'

// Bad input the CLI can judge by itself: it must say what is wrong in one ERROR line (plus at most a
// detail line or two), exit 1 or 2, and send nothing. The network is closed (test/helpers/setup.ts), so
// an attempted request shows up in nock's "no match" events.

const CORPUS: [string, Case[]][] = [
  ['flags and arguments', FLAG_CASES],
  ['jobs.yaml', JOBS_YAML_CASES],
  ['service.template', TEMPLATE_CASES],
  ['kubeconfig', KUBECONFIG_CASES],
  ['config files', CONFIG_CASES],
]

const expand = (text: string, home: string) => text.replaceAll('{HOME}', home)

describe('reliability: bad input corpus', () => {
  let tool: ToolEnv
  let restoreEnv: (() => void) | undefined
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => {
    restoreEnv?.()
    restoreEnv = undefined
    tool.restore()
  })

  function prepare(c: Case): void {
    for (const [path, content] of Object.entries(c.files ?? {})) {
      const full = join(tool.home, path)
      if (content === null) {
        mkdirSync(full, {recursive: true})
      } else {
        mkdirSync(dirname(full), {recursive: true})
        writeFileSync(full, content)
      }
    }

    const saved = Object.fromEntries(Object.keys(c.env ?? {}).map((key) => [key, process.env[key]]))
    for (const [key, value] of Object.entries(c.env ?? {})) process.env[key] = expand(value, tool.home)
    restoreEnv = () => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }
    }
  }

  let total = 0
  for (const [group, cases] of CORPUS) {
    total += cases.length
    describe(group, () => {
      for (const c of cases) {
        it(c.name, async () => {
          prepare(c)
          const requests = watchRequests()
          let result
          try {
            result = await run(c.argv.map((arg) => expand(arg, tool.home)))
          } finally {
            requests.stop()
          }

          check(result, {exit: c.exit}, c.name)
          const lines = result.stderr.split('\n').filter(Boolean)
          expect(lines[0], result.stderr).to.match(/^ERROR: \S/)
          expect(result.stderr).to.match(c.message)
          // A message, maybe a detail or a `--help` hint: never a dump.
          expect(lines.length, result.stderr).to.be.at.most(1 + (c.maxLines ?? 2))
          expect(requests.attempts, 'requests sent').to.deep.equal([])
          expect(result.stdout).to.equal('')
        })
      }
    })
  }

  it('holds at least 150 cases', () => {
    expect(total).to.be.at.least(150)
  })
})
