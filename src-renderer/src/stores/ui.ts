// Which section is shown, and the theme. The theme follows the OS until the user picks one (kept in
// localStorage); it is applied as <html data-theme="light|dark">, which theme.css and the charts read.
import { ref, watch } from 'vue'
import { defineStore } from 'pinia'

export const SECTIONS = [
  { id: 'experiment', label: 'Experiment', key: '1' },
  { id: 'dashboard', label: 'Dashboard', key: '2' },
  { id: 'sweep', label: 'Sweep', key: '3' },
  { id: 'history', label: 'History', key: '4' },
  { id: 'devices', label: 'Devices', key: '5' },
  { id: 'landscape', label: 'Landscape', key: '7' },
  { id: 'about', label: 'About', key: '6' },
] as const

export type Section = (typeof SECTIONS)[number]['id']
export type ThemeChoice = 'system' | 'light' | 'dark'

const THEME_KEY = 'lastmile.theme'

export const useUiStore = defineStore('ui', () => {
  const section = ref<Section>('experiment')
  const theme = ref<ThemeChoice>((localStorage.getItem(THEME_KEY) as ThemeChoice | null) ?? 'system')
  const media = window.matchMedia('(prefers-color-scheme: dark)')

  function apply() {
    const dark = theme.value === 'dark' || (theme.value === 'system' && media.matches)
    document.documentElement.dataset.theme = dark ? 'dark' : 'light'
  }
  media.addEventListener('change', apply)
  watch(theme, (t) => {
    localStorage.setItem(THEME_KEY, t)
    apply()
  }, { immediate: true })

  /** light → dark → system → light */
  function cycleTheme() {
    theme.value = theme.value === 'light' ? 'dark' : theme.value === 'dark' ? 'system' : 'light'
  }

  return { section, theme, cycleTheme }
})
