// One line per kernel backend; registry.ts builds its map from this list and is never edited.
export { typescriptBackend } from './typescript-backend'
export { wasmBackend } from './wasm-backend'
