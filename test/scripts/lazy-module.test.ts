import {expect} from 'chai'
import {createRequire} from 'node:module'

// The stand-in for some of @oclif/core's top-level requires in the library bundle
// (scripts/build-vendor.js): it must behave as the module object, only later.
const {lazyModule} = createRequire(import.meta.url)('../../scripts/stubs/lazy-module.cjs') as {
  lazyModule: <T extends object>(load: () => T) => T
}

describe('lazy module objects of the library bundle', () => {
  it('requires the module on first use, once, and not before', () => {
    let loads = 0
    const module = lazyModule(() => {
      loads++
      return {twice: (n: number) => 2 * n, name: 'real'}
    })
    expect(loads).to.equal(0)
    expect((0, module.twice)(21)).to.equal(42)
    expect(module.name).to.equal('real')
    expect(loads).to.equal(1)
  })

  it('answers `in`, key listing and property descriptors as the module would', () => {
    const module = lazyModule(() => Object.freeze({execSync: () => 'ran'}))
    expect('execSync' in module).to.equal(true)
    expect('spawn' in module).to.equal(false)
    expect(Object.keys(module)).to.deep.equal(['execSync'])
    expect(Object.getOwnPropertyDescriptor(module, 'execSync')?.enumerable).to.equal(true)
  })

  it('stands in for a builtin', () => {
    const childProcess = lazyModule(() => createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process'))
    expect(childProcess.execFileSync(process.execPath, ['-e', 'process.stdout.write("ok")'], {encoding: 'utf8'})).to.equal('ok')
  })
})
