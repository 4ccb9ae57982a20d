// Loads the JSON/YAML fixtures under test/fixtures/kube (vectors computed with CPython, and copies of
// the upstream example objects; see test/fixtures/kube/upstream/SOURCES.md).

import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse as parseYaml} from 'yaml'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'kube')

export function fixtureJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as T
}

export function fixtureYaml<T = any>(path: string): T {
  return parseYaml(readFileSync(join(FIXTURES, path), 'utf8')) as T
}

export function clone<T>(value: T): T {
  return structuredClone(value)
}
