import {parseAllDocuments} from 'yaml'

export class ManifestParseError extends Error {}

// Far above any real manifest set, far below what an alias bomb expands to.
const MAX_ALIASES = 1000

/** Multi-document YAML or JSON text → the documents, empty documents dropped. */
export function parseManifests(text: string, source: string): unknown[] {
  const documents = parseAllDocuments(text, {uniqueKeys: true})
  const list = Array.isArray(documents) ? documents : [documents]
  const objects: unknown[] = []
  for (const [index, doc] of list.entries()) {
    const error = doc.errors[0]
    if (error) throw new ManifestParseError(`${source}: document ${index + 1} is not valid YAML or JSON (${error.message.split('\n')[0]})`)
    let value: unknown
    try {
      value = doc.toJS({maxAliasCount: MAX_ALIASES})
    } catch (error) {
      throw new ManifestParseError(`${source}: document ${index + 1}: ${(error as Error).message}`)
    }

    if (value !== null && value !== undefined) objects.push(value)
  }

  return objects
}
