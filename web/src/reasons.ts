// The matcher's reasons, sent as codes with parameters (`reason_codes`), in the user's language
// through the locale files (`matchReason.*`).
import { i18n } from './i18n'

export interface ReasonCode {
  code: string
  params: Record<string, string>
}

export function reasonText(r: ReasonCode): string {
  const key = `matchReason.${r.code}`
  return i18n.global.te(key) ? i18n.global.t(key, r.params) : r.code
}

// An application's reasons: its codes when it has them; an application from before the codes
// has only the server's words.
export function reasonsText(codes: ReasonCode[] | undefined, words: string): string {
  if (!codes?.length) return words
  return codes.map(reasonText).join(i18n.global.locale.value === 'en' ? '; ' : '；')
}
