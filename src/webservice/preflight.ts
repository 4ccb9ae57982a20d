// Checks before starting (webservice.md §1.5 "Pre-flight checks"): catch the missing application on the
// bastion, with upstream's wording, instead of leaving a pod that crash-loops.

import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {UserError} from '../api/errors.js'
import type {WebserviceRunner} from '../kube/images.js'

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function checkJs(home: string): void {
  const path = join(home, 'www/js/package.json')
  const hint = 'Are you sure you have a proper nodejs application in ~/www/js?'
  let pkg: unknown
  try {
    pkg = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`Could not find ~/www/js/package.json. ${hint}`)
    // An unparseable package.json has no start script either, as far as npm is concerned.
    pkg = {}
  }
  const scripts = (pkg as {scripts?: Record<string, unknown>} | null)?.scripts
  if (!scripts || typeof scripts !== 'object' || !scripts.start) {
    throw new UserError(`'start' script was not defined in ~/www/js/package.json. ${hint}`)
  }
}

/** Throws the upstream message when the type's application is missing from `home`; generic types have nothing to check. */
export function preflight(wstype: WebserviceRunner | undefined, home: string): void {
  switch (wstype) {
    case 'python': {
      if (!isDir(join(home, 'www/python/src'))) {
        throw new UserError('Could not find ~/www/python/src. Are you sure you have a proper uwsgi application in ~/www/python/src?')
      }
      break
    }
    case 'js': {
      checkJs(home)
      break
    }
    case 'lighttpd':
    case 'lighttpd-plain': {
      if (!existsSync(join(home, 'public_html')) && !existsSync(join(home, '.lighttpd.conf'))) {
        throw new UserError('Could not find a public_html folder or a .lighttpd.conf file in your tool home.')
      }
      break
    }
    default:
  }
}
