import { createRouter, createWebHistory } from 'vue-router'
import { setUnauthenticatedHandler } from './api'
import { loadSession, session } from './session'

// Pages are loaded when first visited, so the first load carries only the shell and the
// dashboard.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    // A job's public page: what its QR code opens, for anyone, without logging in.
    { path: '/p/jobs/:id(\\d+)', name: 'public-job', component: () => import('./views/PublicJobView.vue'), props: true, meta: { public: true, bare: true } },
    {
      path: '/',
      component: () => import('./components/AppShell.vue'),
      children: [
        { path: '', name: 'dashboard', component: () => import('./views/DashboardView.vue') },
        { path: 'import', name: 'import', component: () => import('./views/ImportView.vue') },
        { path: 'verify', name: 'verify', component: () => import('./views/VerifyView.vue') },
        { path: 'match/assign', name: 'assign', component: () => import('./views/AssignView.vue') },
        { path: 'applications', name: 'applications', component: () => import('./views/BoardView.vue') },
        { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue') },
        { path: ':entity(households|persons|employers|jobs)', name: 'list', component: () => import('./views/ListView.vue'), props: true },
        { path: ':entity(households|persons|employers|jobs)/new', name: 'create', component: () => import('./views/FormView.vue'), props: true },
        { path: ':entity(households|persons|employers|jobs)/:id(\\d+)', name: 'detail', component: () => import('./views/DetailView.vue'), props: true },
        { path: ':entity(households|persons|employers|jobs)/:id(\\d+)/edit', name: 'edit', component: () => import('./views/FormView.vue'), props: true },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (to.meta.bare) return true // public pages need no session
  if (!session.loaded) await loadSession()
  if (!to.meta.public && !session.user) return { name: 'login', query: { next: to.fullPath } }
  if (to.name === 'login' && session.user) return { name: 'dashboard' }
  return true
})

setUnauthenticatedHandler(() => {
  session.user = null
  if (router.currentRoute.value.name !== 'login') {
    router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } })
  }
})
