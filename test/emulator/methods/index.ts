/** Method name → definition. `batch` is handled by the engine itself. */
import type { MethodRegistry } from '../rest/method-types.ts'
import { appMethods } from './app.ts'
import { bizprocEventSendMethods } from './bizproc-event-send.ts'
import { bizprocRobotMethods } from './bizproc-robot.ts'
import { bizprocWorkflowMethods } from './bizproc-workflow.ts'
import { crmActivityMethods } from './crm-activity.ts'
import { crmAutomationTriggerMethods } from './crm-automation-trigger.ts'
import { crmAutomationTriggerExecuteMethods } from './crm-automation-trigger-execute.ts'
import { crmDealMethods } from './crm-deal.ts'
import { crmDirectoryMethods } from './crm-directories.ts'
import { crmDocumentMethods } from './crm-document.ts'
import { crmDocumentTemplateMethods } from './crm-document-template.ts'
import { crmItemMethods } from './crm-item.ts'
import { crmTypeMethods } from './crm-type.ts'
import { crmItemPaymentMethods } from './crm-item-payment.ts'
import { crmProductRowMethods } from './crm-product-row.ts'
import { crmRequisiteMethods } from './crm-requisite.ts'
import { crmTimelineMethods } from './crm-timeline.ts'
import { eventMethods } from './event.ts'
import { eventOfflineMethods } from './event-offline.ts'
import { imNotifyMethods } from './im-notify.ts'
import { placementMethods } from './placement.ts'
import { taskMethods } from './tasks-task.ts'
import { userMethods } from './users.ts'

export const methodRegistry: MethodRegistry = {
  ...crmItemMethods,
  ...crmTypeMethods,
  ...crmProductRowMethods,
  ...crmDirectoryMethods,
  ...userMethods,
  ...appMethods,
  ...placementMethods,
  ...crmAutomationTriggerMethods,
  ...crmDocumentTemplateMethods,
  ...crmDocumentMethods,
  ...crmActivityMethods,
  ...crmTimelineMethods,
  ...imNotifyMethods,
  ...taskMethods,
  ...crmItemPaymentMethods,
  ...crmRequisiteMethods,
  // After crmAutomationTriggerMethods on purpose: this module owns crm.automation.trigger.execute.
  ...crmAutomationTriggerExecuteMethods,
  ...bizprocWorkflowMethods,
  ...bizprocRobotMethods,
  ...bizprocEventSendMethods,
  ...eventMethods,
  ...eventOfflineMethods,
  ...crmDealMethods,
}
