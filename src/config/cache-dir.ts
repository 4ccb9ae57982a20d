import {homedir, platform} from 'node:os'
import {join} from 'node:path'

/**
 * oclif's rule for config.cacheDir, for code that runs before (or without) oclif: `<BIN>_CACHE_DIR`,
 * else the platform's cache folder + `dirname`.
 */
export function oclifCacheDir(bin: string, dirname: string, env: NodeJS.ProcessEnv = process.env): string {
  const scoped = env[`${bin.replaceAll('@', '').replaceAll(/[-/]/g, '_').toUpperCase()}_CACHE_DIR`]
  if (scoped) return scoped
  const home = env.HOME || homedir()
  if (platform() === 'darwin') return join(home, 'Library', 'Caches', dirname)
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), dirname)
}
