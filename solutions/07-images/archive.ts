// Chapter 07 — images as files: `carton save`/`load` (Docker and OCI archives), `import`
// (a root filesystem tarball as an image), `export` (a container's tree as a tarball) and
// `commit` (a container's changes as a new layer). Each lives in a file of its own.
export { saveImages, writeFileWhole } from './archive-save.js';
export { loadImages } from './archive-load.js';
export { importTarball, exportDirectory, type ImportOptions } from './archive-import.js';
export { commitLayer, emptyConfig, type CommitOptions } from './archive-commit.js';
export { applyChange, applyChanges, parseInstruction, CHANGE_INSTRUCTIONS, type RunConfig } from './change.js';
