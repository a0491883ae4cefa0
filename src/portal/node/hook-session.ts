import type { PortalClient } from '../portal-client.ts'
import { Agent } from 'node:https'
import { ApiVersion, B24Hook } from '@bitrix24/b24jssdk'
import { createSdkPortalClient, SAFE_RESTRICTION_PARAMS } from '../sdk-portal-client.ts'

export interface WebhookOptions {
  /**
   * Extra PEM certificate authority to trust, for portals behind a private CA (on-premise
   * Bitrix24, a test portal). Default: the system's CAs only.
   */
  readonly caCertificate?: string
}

/**
 * A PortalClient for Node programs (the scheduled runner, the benchmark) authenticated by an
 * incoming webhook URL `https://<portal>/rest/<userId>/<secret>/`. The SDK requires https.
 */
export function connectWithWebhook(webhookUrl: string, options: WebhookOptions = {}): PortalClient {
  const hook = B24Hook.fromWebhookUrl(webhookUrl, { restrictionParams: SAFE_RESTRICTION_PARAMS })
  if (options.caCertificate) {
    const agent = new Agent({ ca: options.caCertificate, keepAlive: true })
    for (const version of [ApiVersion.v2, ApiVersion.v3])
      hook.getHttpClient(version).ajaxClient.defaults.httpsAgent = agent
  }
  return createSdkPortalClient(hook)
}
