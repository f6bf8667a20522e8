// At most one call per animation frame, however often it is asked for (pushes can land several per frame).
import { onBeforeUnmount } from 'vue'

export function useFrameScheduler(run: () => void): () => void {
  let frame = 0
  onBeforeUnmount(() => {
    if (frame) cancelAnimationFrame(frame)
    frame = 0
  })
  return () => {
    if (frame) return
    frame = requestAnimationFrame(() => {
      frame = 0
      run()
    })
  }
}
