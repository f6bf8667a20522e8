// One line per training algorithm; registry.ts builds its map from this list and is never edited.
export { backprop } from './backprop'
export { zoSpsa } from './zo-spsa'
export { forwardAd } from './forward-ad'
export { tpsgd } from './tpsgd'
export { hybrid } from './hybrid'
