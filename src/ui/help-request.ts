// Whether a command line asks oclif for help, decided from argv and package.json alone. Free of
// imports, so a launcher can ask on every run before deciding to load the help renderer.

export interface HelpPackageJson {
  oclif: {additionalHelpFlags?: string[]; additionalVersionFlags?: string[]; topics?: Record<string, unknown>}
}

/** The help flags oclif recognises: package.json `additionalHelpFlags` and `--help`. */
export function helpFlags(pjson: HelpPackageJson): string[] {
  return [...new Set([...(pjson.oclif.additionalHelpFlags ?? []), '--help'])]
}

/** The arguments oclif reads options from: everything before a `--`. */
export function beforeDoubleDash(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--')
  return end === -1 ? argv : argv.slice(0, end)
}

/** oclif's own rule: no arguments at all, or a help flag before any `--` (and not `--version` first). */
export function asksForHelp(argv: readonly string[], pjson: HelpPackageJson): boolean {
  if (argv.length > 0 && ['--version', ...(pjson.oclif.additionalVersionFlags ?? [])].includes(argv[0])) return false
  const flags = helpFlags(pjson)
  return argv.length === 0 || beforeDoubleDash(argv).some((arg) => flags.includes(arg))
}

/**
 * A cheap first test for the launcher, before it loads the renderer and reads the manifests: true
 * for a help request, `help …`, or a declared topic alone (`toolforge jobs`). False means oclif
 * should run (a topic only implied by command ids is then shown by oclif); true promises nothing.
 */
export function mayBeHelp(argv: readonly string[], pjson: HelpPackageJson): boolean {
  if (asksForHelp(argv, pjson)) return true
  return argv[0] === 'help' || (argv.length === 1 && Object.hasOwn(pjson.oclif.topics ?? {}, argv[0]))
}
