// comlink ships dist/esm/node-adapter.mjs without a .d.mts; reuse the UMD build's types (tsc TS7016 otherwise).
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/umd/node-adapter'
}
