import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {ToolforgeError} from '../../src/api/errors.js'
import {entryToJobOptions, EntryError, MAX_JOBS_FILE_BYTES, parseJobsYaml, planLoad, readJobsFile} from '../../src/jobs/load.js'

const convert = (entry: unknown) => {
  const warnings: string[] = []
  const options = entryToJobOptions(entry, (w) => warnings.push(w))
  return {options, warnings}
}

const REQUIRED = {name: 'myjob', command: './run.sh', image: 'bookworm'}

function entryProblem(entry: unknown): EntryError {
  try {
    entryToJobOptions(entry, () => {})
  } catch (error) {
    expect(error).to.be.instanceOf(EntryError)
    return error as EntryError
  }

  throw new Error('expected an entry error')
}

describe('entryToJobOptions (jobs.md §4.2 key rules)', () => {
  it('maps keys to options, numbers to strings where the option is text', () => {
    const {options, warnings} = convert({...REQUIRED, port: 8080, mem: 1, cpu: 0.5, retry: 2, 'filelog-stdout': 'x.out', continuous: true, replicas: '3'})
    expect(options).to.deep.equal({...REQUIRED, port: '8080', mem: '1', cpu: '0.5', retry: 2, filelogStdout: 'x.out', continuous: true, replicas: 3})
    expect(warnings).to.deep.equal([])
  })

  it('wait: true is 600 s, an integer is seconds, false is dropped with upstream warning', () => {
    expect(convert({...REQUIRED, wait: true}).options.wait).to.equal(600)
    expect(convert({...REQUIRED, wait: 40}).options.wait).to.equal(40)
    const {options, warnings} = convert({...REQUIRED, wait: false})
    expect(options.wait).to.equal(undefined)
    expect(warnings).to.deep.equal([`Invalid key: 'wait' expects True or integer but got "False". omitting key...`])
  })

  it('filelog "yes" and no-filelog "true" work with a deprecation warning', () => {
    const a = convert({...REQUIRED, filelog: 'yes'})
    expect(a.options.filelog).to.equal(true)
    expect(a.warnings).to.deep.equal(['Assigning "yes" to filelog will be deprecated in future releases. Please use True unquoted instead.'])
    const b = convert({...REQUIRED, 'no-filelog': 'true'})
    expect(b.options.noFilelog).to.equal(true)
    expect(b.warnings).to.deep.equal(['Assigning "true" to no-filelog will be deprecated in future releases. Please use True unquoted instead.'])
  })

  it('flag keys with other values are dropped with upstream warning', () => {
    const {options, warnings} = convert({...REQUIRED, continuous: false, 'no-filelog': 0, filelog: 'no'})
    expect(options).to.deep.equal(REQUIRED)
    expect(warnings).to.deep.equal([
      'Invalid key: continuous expects True but got "False". omitting key...',
      'Invalid key: no-filelog expects True but got "0". omitting key...',
      'Invalid key: filelog expects True but got "no". omitting key...',
    ])
  })

  it('publish: true or the API form "/"', () => {
    expect(convert({...REQUIRED, publish: true}).options.publish).to.equal(true)
    expect(convert({...REQUIRED, publish: '/'}).options.publish).to.equal(true)
  })

  it('unknown keys are errors, with a hint for API field names', () => {
    expect(entryProblem({...REQUIRED, memory: '1Gi'})).to.include({key: 'memory', message: "unknown key (did you mean 'mem'?)"})
    expect(entryProblem({...REQUIRED, health_check_http: '/h'})).to.include({key: 'health_check_http', message: "unknown key (did you mean 'health-check-http'?)"})
    expect(entryProblem({...REQUIRED, colour: 'blue'})).to.include({key: 'colour', message: 'unknown key'})
    expect(entryProblem({...REQUIRED, constructor: 'x'})).to.include({key: 'constructor', message: 'unknown key'})
  })

  it('wrong value types are errors naming the key', () => {
    expect(entryProblem({...REQUIRED, command: ['a', 'b']})).to.include({key: 'command', message: `expected a string, got '["a","b"]'`})
    expect(entryProblem({...REQUIRED, mem: null})).to.include({key: 'mem', message: 'expected a string, got an empty value'})
    expect(entryProblem({...REQUIRED, retry: 'twice'})).to.include({key: 'retry', message: "expected an integer, got 'twice'"})
    expect(entryProblem({...REQUIRED, timeout: true})).to.include({key: 'timeout', message: "expected an integer, got 'True'"})
  })

  it('missing required keys and non-mappings', () => {
    expect(entryProblem({name: 'x'}).message).to.equal("missing required keys 'command', 'image'")
    expect(entryProblem('just a string').message).to.match(/^expected a mapping of job options/)
    expect(entryProblem([1, 2]).message).to.match(/got a list$/)
  })
})

describe('parseJobsYaml', () => {
  it('reads YAML 1.1 like PyYAML: unquoted yes/on are booleans, y/n are not', () => {
    expect(parseJobsYaml('- {name: a, filelog: yes, continuous: On, no-filelog: off, command: y, image: n}\n', 'f')).to.deep.equal([
      {name: 'a', filelog: true, continuous: true, 'no-filelog': false, command: 'y', image: 'n'},
    ])
  })

  it('must be a list', () => {
    expect(() => parseJobsYaml('name: a\n', 'jobs.yaml')).to.throw("Unable to load 'jobs.yaml': expected a list of job definitions, got a mapping")
    expect(() => parseJobsYaml('', 'jobs.yaml')).to.throw('got an empty document')
  })

  it('syntax errors name the file, the position goes in the details', () => {
    let error: ToolforgeError | undefined
    try {
      parseJobsYaml('- name: a\n  command: [oops\n', 'jobs.yaml')
    } catch (error_) {
      error = error_ as ToolforgeError
    }

    expect(error?.message).to.equal("Unable to parse yaml file 'jobs.yaml'")
    expect(error?.details).to.match(/line \d+/)
  })

  it('refuses an alias bomb', () => {
    // 10 levels of 10 references each: 10^10 nodes if expanded.
    const levels = 'abcdefghij'.split('')
    const lines = [`- ${levels[0]}: &${levels[0]} [x, x, x, x, x, x, x, x, x, x]`]
    for (let i = 1; i < levels.length; i++) lines.push(`  ${levels[i]}: &${levels[i]} [${Array.from({length: 10}, () => `*${levels[i - 1]}`).join(', ')}]`)
    expect(() => parseJobsYaml(lines.join('\n') + '\n', 'bomb.yaml')).to.throw("Unable to parse yaml file 'bomb.yaml'")
  })

  it('refuses duplicate keys in one entry', () => {
    expect(() => parseJobsYaml('- {name: a, name: b}\n', 'f')).to.throw('Unable to parse yaml file')
  })
})

describe('readJobsFile', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tf-load-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('reads a file, and stdin for -', async () => {
    writeFileSync(join(dir, 'jobs.yaml'), '- x\n')
    expect(await readJobsFile(join(dir, 'jobs.yaml'))).to.equal('- x\n')
    expect(await readJobsFile('-', Readable.from([Buffer.from('- a\n'), Buffer.from('- b\n')]))).to.equal('- a\n- b\n')
  })

  it('refuses files over 10 MB', async () => {
    writeFileSync(join(dir, 'big.yaml'), Buffer.alloc(MAX_JOBS_FILE_BYTES + 1, 0x20))
    let message = ''
    await readJobsFile(join(dir, 'big.yaml')).catch((error: Error) => {
      message = error.message
    })
    expect(message).to.match(/is too large: jobs files are limited to 10 MB$/)
    message = ''
    await readJobsFile('-', Readable.from([Buffer.alloc(MAX_JOBS_FILE_BYTES), Buffer.alloc(1)])).catch((error: Error) => {
      message = error.message
    })
    expect(message).to.match(/too large/)
  })

  it('explains a missing file or a directory', async () => {
    const messages: string[] = []
    await readJobsFile(join(dir, 'nope.yaml')).catch((error: Error) => messages.push(error.message))
    await readJobsFile(dir).catch((error: Error) => messages.push(error.message))
    expect(messages).to.deep.equal([`Unable to read '${join(dir, 'nope.yaml')}': no such file`, `Unable to read '${dir}': it is a directory`])
  })
})

describe('planLoad', () => {
  const plan = (entries: unknown[], only?: string) => planLoad(entries, {source: 'jobs.yaml', only, warn() {}})

  it('validates every entry with the run validator and names entry, name and key', () => {
    let error: ToolforgeError | undefined
    try {
      plan([
        {...REQUIRED, name: 'ok'},
        {...REQUIRED, name: 'bad-port', port: 8080},
        {...REQUIRED, name: 'Bad'},
        {command: 'x', image: 'y'},
        {...REQUIRED, name: 'ok'},
        {...REQUIRED, name: 'hc', continuous: true, 'health-check-http': '/h'},
      ])
    } catch (error_) {
      error = error_ as ToolforgeError
    }

    expect(error?.exitCode).to.equal(1)
    expect(error?.message).to.equal("'jobs.yaml' has 5 invalid job definitions; nothing was loaded:")
    expect(error?.details?.split('\n')).to.deep.equal([
      "  job #2 ('bad-port'), key 'port': --port is only valid for continuous jobs",
      "  job #3 ('Bad'), key 'name': Invalid job name 'Bad': use lower case letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. 'my-job')",
      "  job #4: missing required key 'name'",
      "  job #5 ('ok'), key 'name': duplicate job name 'ok' (also job #1)",
      "  job #6 ('hc'), key 'health-check-http': --health-check-http requires --port to be set as well",
    ])
  })

  it('--job selects one entry but every entry is still validated', () => {
    const planned = plan([{...REQUIRED, name: 'a'}, {...REQUIRED, name: 'b', schedule: '@daily'}], 'b')
    expect(planned.map((p) => [p.number, p.options.name, p.jobType])).to.deep.equal([[2, 'b', 'scheduled']])
    expect(() => plan([{...REQUIRED, name: 'a'}, {...REQUIRED, name: 'b', retry: 7}], 'a')).to.throw(ToolforgeError, 'invalid job definition')
    expect(() => plan([{...REQUIRED, name: 'a'}], 'zzz')).to.throw("job 'zzz' is not defined in 'jobs.yaml'")
  })

  it('prefixes conversion warnings with the file and the entry', () => {
    const warnings: string[] = []
    planLoad([{...REQUIRED, wait: false}], {source: 'jobs.yaml', warn: (w) => warnings.push(w)})
    expect(warnings).to.deep.equal([`jobs.yaml: job #1 ('myjob'): Invalid key: 'wait' expects True or integer but got "False". omitting key...`])
  })
})
