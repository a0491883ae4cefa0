import type { Component } from 'vue'
import { defineAsyncComponent } from 'vue'

/**
 * The view for each placement the app serves, loaded on demand so that a placement pays only
 * for its own screen. Placements not listed get a clear notice instead of a blank frame.
 */
const views: Readonly<Record<string, () => Promise<Component>>> = {
  CRM_DEAL_DETAIL_TAB: () => import('./deal-tab/DealTabView.vue'),
  CRM_DEAL_LIST_MENU: () => import('./deal-list-menu/DealListMenuView.vue'),
  // The invoice card gets the same panel as the deal card, for its one invoice.
  CRM_SMART_INVOICE_DETAIL_TAB: () => import('./deal-tab/DealTabView.vue'),
  // The accountants' receivables dashboard; chart.js loads only here.
  CRM_ANALYTICS_MENU: () => import('./receivables/ReceivablesView.vue'),
  // The app's own page: the reminder queue and the settings (read-only for non-admins); the installer on first open.
  DEFAULT: () => import('./app-page/AppPageView.vue'),
}

export function viewForPlacement(placement: string): Component | null {
  const load = views[placement]
  return load ? defineAsyncComponent(load) : null
}
