import {Errors} from '@oclif/core'
import {expect} from 'chai'

import {UserError} from '../../src/api/errors.js'
import {formatBuild, renderQuota, shortImageName, statusWord} from '../../src/build/format.js'
import {buildParameters, parseEnvvarFlag} from '../../src/build/params.js'

describe('build start parameters', () => {
  it('omits everything not given', () => {
    expect(buildParameters({sourceUrl: 'https://x.test/r'})).to.deep.equal({source_url: 'https://x.test/r'})
  })

  it('splits -e at the first = only; the last duplicate wins', () => {
    expect(parseEnvvarFlag('A=b=c')).to.deep.equal(['A', 'b=c'])
    expect(buildParameters({sourceUrl: 'u', envvars: ['FOO=1', 'FOO=2', 'lower_ok=']}).envvars).to.deep.equal({FOO: '2', lower_ok: ''})
  })

  it('treats a missing = as a usage error (exit 2)', () => {
    expect(() => parseEnvvarFlag('FOO')).to.throw(Errors.CLIError).with.property('oclif').that.deep.equals({exit: 2})
  })

  for (const name of ['AB', '9AB', 'A-B', 'A B', '']) {
    it(`rejects the build-time envvar name ${JSON.stringify(name)}`, () => {
      expect(() => buildParameters({sourceUrl: 'u', envvars: [`${name}=1`]})).to.throw(UserError, `got '${name}'`)
    })
  }

  for (const name of ['_AB', 'abc', 'A_1', 'Path']) {
    it(`accepts the build-time envvar name ${name}`, () => {
      expect(buildParameters({sourceUrl: 'u', envvars: [`${name}=1`]}).envvars).to.deep.equal({[name]: '1'})
    })
  }
})

describe('build formatting', () => {
  it('maps statuses as upstream', () => {
    expect(['BUILD_SUCCESS', 'BUILD_FAILURE', 'BUILD_RUNNING', 'BUILD_TIMEOUT', undefined, 'WEIRD'].map((s) => statusWord(s))).to.deep.equal([
      'ok', 'error', 'running', 'timeout', 'unknown', 'unknown',
    ])
  })

  it('fills N/A for empty times, ref and envvars', () => {
    const formatted = formatBuild({build_id: 'x', start_time: '', parameters: {source_url: 'u', ref: ''}})
    expect(formatted).to.include({start_time: 'N/A', end_time: 'N/A', ref: 'N/A', status: 'unknown', destination_image: ''})
    expect(formatted.envvars).to.deep.equal(['N/A'])
  })

  it('derives the short image name jobs accept', () => {
    expect(shortImageName('tools-harbor.wmcloud.org/tool-my-tool/web:latest@sha256:abc', 'my-tool')).to.equal('tool-my-tool/web:latest')
    expect(shortImageName('', 'mytool', 'web')).to.equal('tool-mytool/web:latest')
    expect(shortImageName('', 'mytool')).to.equal('tool-mytool/tool-mytool:latest')
  })

  it('renders several quota categories and items', () => {
    const text = renderQuota([
      {name: 'Registry', items: [{name: 'Storage', limit: 'Unlimited', used: '0.00B', available: 'Unlimited', capacity: '0%'}]},
      {name: 'Other', items: []},
    ])
    expect(text).to.equal(
      ['Registry', '===================', 'Storage', '-----------', 'Limit        Unlimited', 'Used         0.00B', 'Available    Unlimited', 'Capacity     0%', '', 'Other', '===================', ''].join('\n'),
    )
  })
})
