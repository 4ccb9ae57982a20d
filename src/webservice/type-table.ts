// Where the webservice types in force come from: the cluster when it answers, else the CLI itself. Kept
// apart from wstypes.ts, which shell completion loads and which must not pull in the YAML parser.

import {IMAGE_CONFIG_REF, typesFromConfigMap} from './image-config.js'
import {EMBEDDED_TYPES, type TypeTable} from './wstypes.js'

/**
 * The cluster's table, read with `read` (the ConfigMap object); the embedded one when that fails for
 * any reason — no Kubernetes API, no permission, a schema this CLI does not know. Never throws: not
 * knowing the newest types must not stop anyone from using the ones everybody knows.
 */
export async function loadTypeTable(read: () => Promise<unknown>, debug: (line: string) => void): Promise<TypeTable> {
  try {
    const {types, skipped} = typesFromConfigMap(await read())
    for (const line of skipped) debug(`${IMAGE_CONFIG_REF}: ${line}`)
    debug(`webservice types: ${types.length} from ${IMAGE_CONFIG_REF}`)
    return {source: 'cluster', types}
  } catch (error) {
    debug(`webservice types: using the built-in list, ${IMAGE_CONFIG_REF} could not be used: ${(error as Error).message}`)
    return EMBEDDED_TYPES
  }
}
