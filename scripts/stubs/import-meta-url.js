// The main build is CommonJS; `import.meta.url` in our sources (written for tsx's ES modules)
// reads as this file's URL instead. Injected by scripts/build.js only where it is used.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href
