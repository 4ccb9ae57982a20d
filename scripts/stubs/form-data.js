// Stands in for the `form-data` package in the bundle (scripts/build.js). axios imports it only to
// build multipart bodies from plain objects; toolforge sends JSON bodies only, and the real package
// drags in mime-db (a 200 KB JSON table) and a dozen helpers that every API command paid to load.
export default class FormData {
  constructor() {
    throw new Error('multipart/form-data bodies are not supported in this build (scripts/stubs/form-data.js)')
  }
}
