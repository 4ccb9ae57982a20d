import {UserError} from '../api/errors.js'

// The envvars API's rule since 2025-10 (build-envvars.md §2.2).
export const ENVVAR_NAME = /^[A-Z][A-Z_0-9]{2,}[A-Z0-9]$/
// The rule before 2025-10: names created then (e.g. `_TOKEN`, `MY_VAR_`) must stay readable and deletable.
const LEGACY_ENVVAR_NAME = /^[A-Z_][A-Z_0-9]{3,}$/

const RULE =
  'a name is at least 4 characters long, uses only uppercase letters A-Z, digits 0-9 and underscores, ' +
  'starts with a letter and ends with a letter or a digit, e.g. MY_API_TOKEN'

function invalid(name: string): UserError {
  const upper = name.toUpperCase()
  const hint = upper !== name && ENVVAR_NAME.test(upper) ? ` Did you mean ${upper}?` : ''
  return new UserError(`Invalid envvar name ${JSON.stringify(name)}: ${RULE}.${hint}`)
}

/** Names for `create`: the current rule, checked here so nothing is sent for a name the API would refuse. */
export function validateNewName(name: string): void {
  if (!ENVVAR_NAME.test(name)) throw invalid(name)
}

/** Names for `show`/`delete`: also the older rule, so envvars created under it can still be managed. */
export function validateExistingName(name: string): void {
  if (!ENVVAR_NAME.test(name) && !LEGACY_ENVVAR_NAME.test(name)) throw invalid(name)
}
