// Turns an API failure into words for the user: a toast for the whole page, or a message for
// the field the server named. The server says what went wrong as a code with parameters
// (`reason`, `params`); the locale files (`reason.*`) say it in the user's language. A message
// without a code the client knows is shown as the server wrote it.
import { ElMessage } from 'element-plus'
import { ApiError } from './api'
import { i18n } from './i18n'

/** A message of the server: an error, or a row of an import report. */
export interface ServerMessage {
  message: string
  field?: string
  reason?: string
  params?: Record<string, string>
}

// Parameters that are themselves codes, said in the user's language.
const codeParams: Record<string, string> = { level: 'levels', needed: 'levels', says: 'genders' }

function localParams(params: Record<string, string>): Record<string, string> {
  const { t, te } = i18n.global
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(params)) {
    const group = codeParams[name]
    out[name] = group && te(`${group}.${value}`) ? t(`${group}.${value}`) : value
  }
  return out
}

// `message` without the "field: " the server puts first, when it names `field`.
function stripField(message: string, field: string): string {
  const bare = field.replace(/^members\[\d+\]\./, '')
  for (const f of [field, bare]) {
    if (f && message.startsWith(`${f}: `)) return message.slice(f.length + 2)
  }
  return message
}

export function messageText(m: ServerMessage): string {
  const { t, te } = i18n.global
  if (m.reason && te(`reason.${m.reason}`)) return t(`reason.${m.reason}`, localParams(m.params ?? {}))
  return stripField(m.message, m.field ?? '')
}

export function fieldMessage(e: ApiError): string {
  return messageText(e)
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
