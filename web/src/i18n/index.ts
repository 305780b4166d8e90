import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

export type Locale = 'zh-CN' | 'en'

const saved = localStorage.getItem('jobaid.locale')
export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export function setLocale(l: Locale) {
  i18n.global.locale.value = l
  localStorage.setItem('jobaid.locale', l)
  document.documentElement.lang = l
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}
