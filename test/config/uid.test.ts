import {expect} from 'chai'
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {lookupToolUid, parsePasswdLine, readProject} from '../../src/config/uid.js'

describe('config/uid', () => {
  let dir: string
  let passwd: string
  let project: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'uid-test-'))
    passwd = join(dir, 'passwd')
    project = join(dir, 'wmcs-project')
    writeFileSync(
      passwd,
      [
        'root:x:0:0:root:/root:/bin/bash',
        'tools.mytool:x:52503:52503:tool mytool:/data/project/mytool:/bin/false',
        'toolsbeta.mytool:x:61000:61000::/data/project/mytool:/bin/false',
        'tools.broken:x:notanumber:1::/:/bin/false',
        '',
      ].join('\n'),
    )
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  function fakeGetent(script: string): string {
    const path = join(dir, 'getent')
    writeFileSync(path, `#!/bin/sh\n${script}\n`)
    chmodSync(path, 0o755)
    return path
  }

  it('reads the project from the first line of /etc/wmcs-project, defaulting to tools', async () => {
    writeFileSync(project, 'toolsbeta\nignored\n')
    expect(await readProject(project)).to.equal('toolsbeta')
    writeFileSync(project, '\n')
    expect(await readProject(project)).to.equal('tools')
    expect(await readProject(join(dir, 'missing'))).to.equal('tools')
  })

  it('finds <project>.<tool> in the passwd file when getent is not used', async () => {
    expect(await lookupToolUid('mytool', {getent: false, passwdFile: passwd, projectFile: join(dir, 'missing')})).to.equal(52503)
    writeFileSync(project, 'toolsbeta\n')
    expect(await lookupToolUid('mytool', {getent: false, passwdFile: passwd, projectFile: project})).to.equal(61000)
    expect(await lookupToolUid('mytool', {getent: false, passwdFile: passwd, project: 'toolsbeta'})).to.equal(61000)
    expect(await lookupToolUid('nosuch', {getent: false, passwdFile: passwd, project: 'tools'})).to.equal(undefined)
    expect(await lookupToolUid('broken', {getent: false, passwdFile: passwd, project: 'tools'})).to.equal(undefined)
  })

  it('asks getent first, passing the account name as an argument', async () => {
    const getent = fakeGetent('[ "$1" = passwd ] && [ "$2" = "tools.mytool" ] && echo "tools.mytool:*:50001:50001::/data/project/mytool:/bin/false"')
    expect(await lookupToolUid('mytool', {getent, passwdFile: passwd, project: 'tools'})).to.equal(50001)
  })

  it('falls back to the passwd file when getent fails or is missing', async () => {
    const notFound = fakeGetent('exit 2')
    expect(await lookupToolUid('mytool', {getent: notFound, passwdFile: passwd, project: 'tools'})).to.equal(52503)
    expect(await lookupToolUid('mytool', {getent: join(dir, 'no-getent'), passwdFile: passwd, project: 'tools'})).to.equal(52503)
    const hangs = fakeGetent('exec sleep 5')
    expect(await lookupToolUid('mytool', {getent: hangs, passwdFile: passwd, project: 'tools', timeoutMs: 100})).to.equal(52503)
  })

  it('refuses names that cannot be accounts', async () => {
    for (const tool of ['', 'a:b', 'a\nb']) {
      expect(await lookupToolUid(tool, {getent: false, passwdFile: passwd, project: 'tools'})).to.equal(undefined)
    }
    expect(await lookupToolUid('mytool', {getent: false, passwdFile: join(dir, 'missing'), project: 'tools'})).to.equal(undefined)
  })

  it('parses passwd lines strictly', () => {
    expect(parsePasswdLine('tools.a:x:1:1::/:/bin/sh', 'tools.a')).to.equal(1)
    expect(parsePasswdLine('tools.ab:x:1:1::/:/bin/sh', 'tools.a')).to.equal(undefined)
    expect(parsePasswdLine('tools.a:x:-1:1::/:/bin/sh', 'tools.a')).to.equal(undefined)
    expect(parsePasswdLine('tools.a', 'tools.a')).to.equal(undefined)
  })
})
