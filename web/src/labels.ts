// Display helpers: vocabulary labels in the current language, money, dates.
import { i18n } from './i18n'
import { session } from './session'

export function termLabel(vocab: string | undefined, code: string): string {
  if (!vocab || code === '' || code === null || code === undefined) return code ?? ''
  const t = session.vocab[vocab]?.find((x) => x.code === code)
  if (!t) return code
  return i18n.global.locale.value === 'en' ? t.en : t.zh
}

export function terms(vocab: string) {
  return session.vocab[vocab] ?? []
}

export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  return (fen / 100).toLocaleString(i18n.global.locale.value, { maximumFractionDigits: 2 })
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return d.toLocaleString(i18n.global.locale.value, { dateStyle: 'short', timeStyle: 'short' })
}

export function display(value: unknown, vocab?: string, kind?: string): string {
  if (value === null || value === undefined) return ''
  if (kind === 'yuan') return yuan(value as number)
  if (kind === 'datetime') return dateTime(value as string)
  if (typeof value === 'boolean') return i18n.global.t(value ? 'common.yes' : 'common.no')
  if (Array.isArray(value)) return value.map((v) => termLabel(vocab, String(v))).join('、')
  return termLabel(vocab, String(value))
}
