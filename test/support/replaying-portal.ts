import type { AxiosError, InternalAxiosRequestConfig } from 'axios'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import { Agent } from 'node:https'
import { ApiVersion, B24Hook } from '@bitrix24/b24jssdk'
import { createSdkPortalClient, SAFE_RESTRICTION_PARAMS } from '../../src/portal/sdk-portal-client.ts'

/**
 * The real SDK on a webhook, with a transport that does what Chromium does: a request whose
 * connection closed before any answer is sent once more, by the network layer, unseen by the app
 * (Chromium re-sends on a reused keep-alive connection; README "Never twice"). `replays()` counts them.
 */
export function replayingPortal(webhookUrl: string, caCertificate: string): PortalClient & { replays: () => number } {
  const hook = B24Hook.fromWebhookUrl(webhookUrl, { restrictionParams: SAFE_RESTRICTION_PARAMS })
  let replays = 0
  const agent = new Agent({ ca: caCertificate, keepAlive: true })
  const ajax = hook.getHttpClient(ApiVersion.v2).ajaxClient
  ajax.defaults.httpsAgent = agent
  ajax.interceptors.response.use(undefined, async (error: AxiosError) => {
    const config = error.config as (InternalAxiosRequestConfig & { replayed?: boolean }) | undefined
    if (!config || error.response || config.replayed)
      throw error
    replays++
    return ajax.request({ ...config, replayed: true } as InternalAxiosRequestConfig)
  })
  return { ...createSdkPortalClient(hook), replays: () => replays }
}
