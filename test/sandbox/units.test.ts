import {expect} from 'chai'
import {X509Certificate} from 'node:crypto'
import {readFileSync, statSync} from 'node:fs'

import {certPaths, createCA, createClientCert, createServerCert, ensureCerts} from '../../src/sandbox/certs.js'
import {cronMatches, nextCronTime, parseCron} from '../../src/sandbox/cronmatch.js'
import {hostPath} from '../../src/sandbox/paths.js'
import {pyRepr} from '../../src/sandbox/pydantic.js'
import {formatDuration} from '../../src/sandbox/status.js'
import {cleanup, tempDir} from './helpers.js'

describe('sandbox helpers', () => {
  it('prints values like Python repr', () => {
    expect(pyRepr({a: [1, 'x', null, true], "it's": 1.5})).to.equal(`{'a': [1, 'x', None, True], "it's": 1.5}`)
  })

  it('matches cron expressions in UTC with Vixie day semantics', () => {
    const spec = parseCron('*/15 4 1 * 1')
    expect(cronMatches(spec, new Date('2030-01-07T04:30:00Z'))).to.equal(true) // a Monday
    expect(cronMatches(spec, new Date('2030-01-01T04:45:00Z'))).to.equal(true) // the 1st
    expect(cronMatches(spec, new Date('2030-01-02T04:45:00Z'))).to.equal(false)
    expect(nextCronTime(parseCron('19 17 * * 3'), new Date('2030-01-01T00:00:00Z'))?.toISOString()).to.equal('2030-01-02T17:19:00.000Z')
    expect(nextCronTime(parseCron('0 0 29 2 *'), new Date('2030-03-01T00:00:00Z'))?.toISOString()).to.equal('2032-02-29T00:00:00.000Z')
  })

  it('formats durations like jobs-api', () => {
    expect(formatDuration(84_000)).to.equal('1m24s')
    expect(formatDuration((2 * 86400 + 3 * 3600) * 1000)).to.equal('2d3h')
    expect(formatDuration(0)).to.equal('0s')
  })

  it('maps pod paths into the sandbox tool home, and nothing outside it', () => {
    expect(hostPath('/d', 'tf-test', '/data/project/tf-test/x.out')).to.equal('/d/home/tf-test/x.out')
    expect(hostPath('/d', 'tf-test', 'logs/x.out')).to.equal('/d/home/tf-test/logs/x.out')
    expect(hostPath('/d', 'tf-test', 'logs/../x.out')).to.equal('/d/home/tf-test/x.out')
    expect(hostPath('/d', 'tf-test', '/data/project/tf-test/../tf-test/x.out')).to.equal('/d/home/tf-test/x.out')
    for (const outside of ['/tmp/x.out', '../../../trav.out', '/data/project/tf-test/../../../../../tmp/x', '/data/project/other/x.out',
      '/data/project/tf-test', '/data/project/tf-test/..', '/data/project/tf-test2/x.out', '/d/home/tf-test/x.out']) {
      expect(hostPath('/d', 'tf-test', outside), outside).to.equal(undefined)
    }
  })

  it('issues certificates like maintain-kubeusers and keeps keys private', () => {
    const ca = createCA()
    const server = new X509Certificate(createServerCert(ca).cert)
    expect(server.subjectAltName).to.equal('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
    expect(server.verify(new X509Certificate(ca.cert).publicKey)).to.equal(true)
    const client = new X509Certificate(createClientCert(ca, 'mytool').cert)
    expect(client.subject.split('\n').sort()).to.deep.equal(['CN=mytool', 'O=toolforge'])

    const dir = tempDir()
    try {
      const paths = ensureCerts(dir, 'tf-test')
      for (const key of [paths.caKey, paths.serverKey, paths.clientKey]) expect(statSync(key).mode & 0o777).to.equal(0o600)
      const before = readFileSync(paths.clientCert, 'utf8')
      ensureCerts(dir, 'tf-test')
      expect(readFileSync(certPaths(dir).clientCert, 'utf8')).to.equal(before)
      ensureCerts(dir, 'other-tool')
      expect(new X509Certificate(readFileSync(paths.clientCert)).subject).to.include('CN=other-tool')
    } finally {
      cleanup(dir)
    }
  })
})
