import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {check, type Schema} from './check.js'

export const SCHEMA_DIR = fileURLToPath(new URL('schemas/', import.meta.url))

interface SchemaFile {
  definitions?: Record<string, Schema>
  commands?: Record<string, Schema>
}

const files = readdirSync(SCHEMA_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as SchemaFile)

/** Every command's schema by its key (`jobs list`, `webservice start --dry-run`), with its file for $refs. */
export const SCHEMAS = new Map<string, {schema: Schema; root: SchemaFile}>()
for (const file of files) for (const [key, schema] of Object.entries(file.commands ?? {})) SCHEMAS.set(key, {schema, root: file})

export const ERROR_SCHEMA = files.find((f) => f.definitions?.error_line)!.definitions!.error_line

export function violations(key: string, value: unknown): string[] {
  const entry = SCHEMAS.get(key)
  if (!entry) throw new Error(`no schema for '${key}'`)
  return check(value, entry.schema, entry.root)
}

/** Asserts stdout is exactly one JSON document conforming to the command's schema; returns it. */
export function expectDocument(key: string, stdout: string): any {
  const document = JSON.parse(stdout)
  expect(violations(key, document), `${key}: ${stdout}`).to.deep.equal([])
  return document
}

/** Asserts stdout is NDJSON, every line conforming; returns the records. */
export function expectRecords(key: string, stdout: string): any[] {
  expect(stdout.endsWith('\n'), 'NDJSON ends with a newline').to.equal(true)
  const records = stdout.trimEnd().split('\n').map((line) => JSON.parse(line))
  for (const record of records) expect(violations(key, record), `${key}: ${JSON.stringify(record)}`).to.deep.equal([])
  return records
}

/** Asserts stderr is one JSON error line with the given exit code. */
export function expectErrorLine(stderr: string, exitCode: number): {message: string; exit_code: number; status?: number} {
  const lines = stderr.trimEnd().split('\n')
  expect(lines, stderr).to.have.length(1)
  const parsed = JSON.parse(lines[0])
  expect(check(parsed, ERROR_SCHEMA)).to.deep.equal([])
  expect(parsed.error.exit_code).to.equal(exitCode)
  return parsed.error
}
