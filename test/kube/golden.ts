// Golden files for built objects: test/fixtures/kube/golden/<name>.json. Run the tests with
// UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.

import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'kube', 'golden')

export function expectGolden(name: string, actual: unknown): void {
  const file = join(GOLDEN, `${name}.json`)
  const text = `${JSON.stringify(actual, null, 2)}\n`
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (!process.env.UPDATE_GOLDEN) throw new Error(`missing golden file ${file}; run with UPDATE_GOLDEN=1 to create it`)
    mkdirSync(GOLDEN, {recursive: true})
    writeFileSync(file, text)
    return
  }
  expect(JSON.parse(text), name).to.deep.equal(JSON.parse(readFileSync(file, 'utf8')))
}
