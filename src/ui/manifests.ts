import {stringify} from 'yaml'

/**
 * kubectl-style multi-document YAML. Written as YAML 1.1 so strings such as `yes`, `no` or `on` (label
 * values) stay quoted for Kubernetes' YAML 1.1 parser; objects shared inside a document (probe handlers)
 * are written out, not aliased.
 */
export function renderYamlDocuments(documents: readonly unknown[]): string {
  return documents.map((doc) => `---\n${stringify(doc, {version: '1.1', lineWidth: 0, aliasDuplicateObjects: false})}`).join('')
}
