// Under the mutation check (scripts/mutation-check.mjs) a property that fails only needs to fail, not to
// be shrunk to a minimal counterexample: shrinking a failing onnxruntime property can take minutes.
import fc from 'fast-check'

if (process.env.LASTMILE_MUTANTS === '1') fc.configureGlobal({ endOnFailure: true })
