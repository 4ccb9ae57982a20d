import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {findTemplate, loadTemplate, parseTemplate, unknownKeysWarning} from '../../src/webservice/template.js'

function caught(fn: () => unknown): {message: string; details?: string; exitCode: number} {
  try {
    fn()
  } catch (error) {
    return error as {message: string; details?: string; exitCode: number}
  }
  throw new Error('expected an error')
}

describe('service.template', () => {
  let home: string
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tf-tpl-'))
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  it('parses the upstream functional-test template without unknown keys (T379903, T380141)', () => {
    const text = 'cpu: 500m\nmem: 512Mi\n# test that the type is not the last, see T379903\ntype: php8.2\n# T380141\nextra_args: ""\nreplicas: 1\n'
    const template = parseTemplate(text, 'service.template')
    expect(template.values).to.deep.equal({cpu: '500m', mem: '512Mi', type: 'php8.2', replicas: 1})
    expect(template.unknownKeys).to.deep.equal([])
    expect(unknownKeysWarning(template)).to.equal(undefined)
  })

  it('maps every documented key', () => {
    const text = [
      'backend: kubernetes', 'type: buildservice', 'cpu: 0.5', 'mem: 1.5Gi', 'replicas: 2', 'buildservice-image: tool-mytool/web:v2',
      'extra_args: [--foo, bar]', 'mount: none', 'health-check-path: /healthz', 'release: buster',
    ].join('\n')
    expect(parseTemplate(text, 't').values).to.deep.equal({
      backend: 'kubernetes', type: 'buildservice', cpu: '0.5', mem: '1.5Gi', replicas: 2, buildserviceImage: 'tool-mytool/web:v2',
      extraArgs: ['--foo', 'bar'], mount: 'none', healthCheckPath: '/healthz',
    })
  })

  it('splits a string extra_args like a shell would', () => {
    expect(parseTemplate("extra_args: java -jar 'my app.jar'", 't').values.extraArgs).to.deep.equal(['java', '-jar', 'my app.jar'])
  })

  it('warns about unknown keys with the upstream text', () => {
    const template = parseTemplate('type: php8.2\nsome_stray_key: something\n', 'service.template')
    expect(unknownKeysWarning(template)).to.equal('Your template file (service.template) contains unknown keys: some_stray_key')
  })

  it('rejects a template that is a list (exit 1)', () => {
    const error = caught(() => parseTemplate("- I'm\n- an\n- array\n", 'service.template'))
    expect(error.exitCode).to.equal(1)
    expect(error.message).to.equal('Your template file (service.template) contains errors:')
  })

  it('reports invalid values as template errors (exit 1, not 2)', () => {
    const error = caught(() => parseTemplate('cpu: lots\n', '/home/t/service.template'))
    expect(error).to.include({message: 'Your template file (/home/t/service.template) contains errors:', exitCode: 1})
    expect(error.details).to.equal('  argument -c/--cpu: lots is not a valid Kubernetes quantity')
    expect(caught(() => parseTemplate('replicas: many\n', 't')).details).to.equal("  argument -r/--replicas: invalid int value: 'many'")
    expect(caught(() => parseTemplate('backend: gridengine\n', 't')).details).to.contain("invalid choice: 'gridengine'")
  })

  it('treats an empty file as no settings', () => {
    expect(parseTemplate('', 't').values).to.deep.equal({})
  })

  it('finds the template in one of the four upstream places', () => {
    expect(findTemplate(home)).to.equal(undefined)
    mkdirSync(join(home, 'www/python/src'), {recursive: true})
    writeFileSync(join(home, 'www/python/src/service.template'), 'type: python3.11\n')
    expect(findTemplate(home)).to.equal(join(home, 'www/python/src/service.template'))
    expect(loadTemplate(home)?.values.type).to.equal('python3.11')
  })

  it('refuses several templates, listing them (exit 1)', () => {
    writeFileSync(join(home, 'service.template'), '')
    mkdirSync(join(home, 'public_html'))
    writeFileSync(join(home, 'public_html/service.template'), '')
    const error = caught(() => findTemplate(home))
    expect(error.message).to.equal(
      'Only one service.template file is allowed, multiple were found. You will need to remove or rename the others.',
    )
    expect(error.details).to.equal(`* ${join(home, 'service.template')}\n* ${join(home, 'public_html/service.template')}`)
    expect(error.exitCode).to.equal(1)
  })

  it('fails like argparse on a missing --template file (exit 2)', () => {
    const error = caught(() => loadTemplate(home, 'nope.yaml'))
    expect(error.exitCode).to.equal(2)
    expect(error.message).to.equal("argument --template: can't open 'nope.yaml': [Errno 2] No such file or directory: 'nope.yaml'")
  })
})
