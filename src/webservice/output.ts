// Renderings that are not plain message lines: --dry-run documents and the `types` table.

import {stringify} from 'yaml'

import type {TypeInfo} from './wstypes.js'

/** kubectl-style multi-document YAML; objects shared inside a document (probe handlers) are written out, not aliased. */
export function renderYamlDocuments(documents: readonly unknown[]): string {
  return documents.map((doc) => `---\n${stringify(doc, {lineWidth: 0, aliasDuplicateObjects: false})}`).join('')
}

export function typeRows(types: readonly TypeInfo[]): string[][] {
  return types.map((t) => [t.default ? `${t.name} (default)` : t.name, t.image, t.state])
}

export interface TypeJson {
  name: string
  image: string
  state: string
  default: boolean
  runner: string | null
}

export function typesJson(types: readonly TypeInfo[]): TypeJson[] {
  return types.map((t) => ({name: t.name, image: t.image, state: t.state, default: t.default, runner: t.wstype ?? null}))
}
