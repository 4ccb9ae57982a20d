// A module object that requires its module on first use (scripts/build-vendor.js puts it in place of
// some of @oclif/core's top-level requires). oclif reads them as `module_1.name` when it calls
// them, so deferring the require changes nothing but when, and whether, the module loads.
'use strict'

exports.lazyModule = function lazyModule(load) {
  let loaded
  const target = () => (loaded ??= load())
  return new Proxy(Object.create(null), {
    get: (_, key) => target()[key],
    has: (_, key) => key in target(),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key)
      // A proxy may not report a property as non-configurable that its own target lacks.
      return descriptor && {...descriptor, configurable: true}
    },
  })
}
