// The app theme as the charts need it. Canvas charts cannot use CSS variables, so the colors are read at
// option-build time, and charts rebuild when the theme changes: the app sets data-theme on <html>; the OS
// scheme matters when it does not.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'
import { FALLBACK_THEME, type ChartTheme } from './palette'

export function readTheme(): ChartTheme {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  return { text: v('--text', FALLBACK_THEME.text), muted: v('--text-muted', FALLBACK_THEME.muted), border: v('--border', FALLBACK_THEME.border), surface: v('--surface', FALLBACK_THEME.surface) }
}

/** A counter bumped whenever the theme may have changed. */
export function useThemeVersion(): Ref<number> {
  const version = ref(0)
  const bump = () => { version.value++ }
  let observer: MutationObserver | undefined
  let media: MediaQueryList | undefined
  onMounted(() => {
    observer = new MutationObserver(bump)
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class'] })
    media = window.matchMedia?.('(prefers-color-scheme: dark)')
    media?.addEventListener('change', bump)
  })
  onBeforeUnmount(() => {
    observer?.disconnect()
    media?.removeEventListener('change', bump)
  })
  return version
}
