// Renderings that are not plain message lines: the `types` table (dry-run documents are src/ui/manifests.ts).

import type {TypeInfo} from './wstypes.js'


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
