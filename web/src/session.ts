// Who is logged in, the region they are looking at (remembered per user), and the closed
// vocabularies with their Chinese and English labels.
import { reactive } from 'vue'
import { api } from './api'

export interface User {
  id: number
  username: string
  display_name: string
  role: 'admin' | 'officer' | 'helper' | 'employer' | 'laborer'
  region_code: string
  region_name: string
  employer_id: number | null
  person_id: number | null
}

export interface Term {
  code: string
  zh: string
  en: string
}

export interface RegionRef {
  code: string
  name: string
  level: string
}

export interface Region extends RegionRef {
  code12: string
  path: RegionRef[]
}

export const session = reactive({
  user: null as User | null,
  region: null as Region | null, // the region the pages are narrowed to
  vocab: {} as Record<string, Term[]>,
  loaded: false,
})

const regionKey = (u: User) => `jobaid.region.${u.username}`

export async function loadSession(): Promise<boolean> {
  try {
    session.user = await api.get<User>('/auth/me')
  } catch {
    session.user = null
    session.loaded = true
    return false
  }
  const vocab = await api.get<Record<string, { terms: Term[] }>>('/vocabularies')
  session.vocab = Object.fromEntries(Object.entries(vocab).map(([k, v]) => [k, v.terms]))
  const remembered = localStorage.getItem(regionKey(session.user))
  const start = remembered && inScope(remembered) ? remembered : session.user.region_code
  await selectRegion(start || '')
  session.loaded = true
  return true
}

export function inScope(code: string): boolean {
  const own = session.user?.region_code ?? ''
  return own === '' || code.startsWith(own)
}

export async function selectRegion(code: string) {
  if (!session.user) return
  if (code === '') {
    session.region = { code: '', code12: '', name: '', level: 'nation', path: [] }
  } else {
    session.region = await api.get<Region>(`/regions/${code}`)
  }
  localStorage.setItem(regionKey(session.user), code)
}

export async function logout() {
  try {
    await api.post('/auth/logout')
  } finally {
    session.user = null
    session.region = null
  }
}

export function isStaff(): boolean {
  const r = session.user?.role
  return r === 'admin' || r === 'officer' || r === 'helper'
}

export function isOfficer(): boolean {
  const r = session.user?.role
  return r === 'admin' || r === 'officer'
}

export function canWrite(): boolean {
  const r = session.user?.role
  return r === 'admin' || r === 'officer' || r === 'helper'
}
