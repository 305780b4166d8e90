// Turns an API failure into words for the user: a toast for the whole page, or a message for
// the field the server named.
import { ElMessage } from 'element-plus'
import { ApiError } from './api'
import { i18n } from './i18n'
import { stripField, translateMessage } from './i18n/errors'

export function fieldMessage(e: ApiError): string {
  return translateMessage(stripField(e.message, e.field), i18n.global.locale.value)
}

export function explain(e: unknown): string {
  const t = i18n.global.t
  if (!(e instanceof ApiError)) return t('errors.server', { message: String(e) })
  if (e.status === 0) return t('errors.network')
  if (e.status === 403) return `${t('errors.forbidden')}：${fieldMessage(e)}`
  if (e.status === 404) return t('errors.notFound')
  if (e.status === 409 && e.code === 'ABORTED') return t('errors.conflict')
  if (e.status >= 500) return t('errors.server', { message: e.message })
  const field = e.field ? `${fieldLabel(e.field)}：` : ''
  return `${field}${fieldMessage(e)}`
}

export function fieldLabel(field: string): string {
  const t = i18n.global.t
  const m = /^members\[(\d+)\]\.(.*)$/.exec(field)
  if (m) return `${t('household.member', { n: Number(m[1]) + 1 })} ${t(`fields.${m[2]}`)}`
  return i18n.global.te(`fields.${field}`) ? t(`fields.${field}`) : field
}

export function toast(e: unknown) {
  ElMessage({ type: 'error', message: explain(e), duration: 6000, showClose: true })
}
