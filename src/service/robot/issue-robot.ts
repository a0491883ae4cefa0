import type { PortalClient } from '../../portal/portal-client.ts'
import { addRobot, listRobotCodes, sendRobotEvent, updateRobot } from '../../portal/bizproc/robot-registry.ts'

/** The robot's code (`[a-zA-Z0-9._-]`, unique per app, R: api-reference/bizproc/bizproc-robot/bizproc-robot-add.md). */
export const ISSUE_ROBOT_CODE = 'invoice_desk_issue'

/** Path of the robot's handler on the service. */
export const ISSUE_ROBOT_PATH = '/robots/issue'

/**
 * The robot «Invoice Desk: выставить и отправить счёт» for deals: Bitrix24 calls `handlerUrl` when
 * a deal reaches a stage it is placed on, waits for `bizproc.event.send` (`USE_SUBSCRIPTION: Y`),
 * and hands the invoice id, number and outcome to the next robots (`RETURN_PROPERTIES`).
 */
export function issueRobotFields(handlerUrl: string, authUserId: number): Record<string, unknown> {
  return {
    HANDLER: handlerUrl,
    AUTH_USER_ID: authUserId,
    USE_SUBSCRIPTION: 'Y',
    NAME: { ru: 'Invoice Desk: выставить и отправить счёт', en: 'Invoice Desk: issue and send the invoice' },
    DESCRIPTION: {
      ru: 'Выставляет счёт по сделке и отправляет его клиенту письмом — один раз, сколько бы раз сделка ни входила в стадию.',
      en: 'Issues the deal\'s invoice and e-mails it to the client — once, however often the deal enters the stage.',
    },
    DOCUMENT_TYPE: ['crm', 'CCrmDocumentDeal', 'DEAL'],
    FILTER: { INCLUDE: [['crm', 'CCrmDocumentDeal']] },
    RETURN_PROPERTIES: {
      invoiceId: { Name: { ru: 'ID счёта', en: 'Invoice ID' }, Type: 'int' },
      invoiceNumber: { Name: { ru: 'Номер счёта', en: 'Invoice number' }, Type: 'string' },
      outcome: { Name: { ru: 'Результат', en: 'Outcome' }, Type: 'string' },
    },
  }
}

/**
 * Registers the robot as the application, or updates it when this app already has it (a reinstall,
 * a new handler URL): `bizproc.robot.list`, then `.add` or `.update` (R: bizproc-robot-add.md,
 * bizproc-robot-update.md, bizproc-robot-list.md). Administrator's app context only.
 */
export async function registerIssueRobot(client: PortalClient, handlerUrl: string, authUserId: number): Promise<'added' | 'updated'> {
  const codes = await listRobotCodes(client)
  const fields = issueRobotFields(handlerUrl, authUserId)
  if (codes.includes(ISSUE_ROBOT_CODE)) {
    await updateRobot(client, ISSUE_ROBOT_CODE, fields)
    return 'updated'
  }
  await addRobot(client, ISSUE_ROBOT_CODE, fields)
  return 'added'
}

/** What `bizproc.event.send` returns to the robot's workflow. */
export interface RobotAnswer {
  readonly invoiceId: number | null
  readonly invoiceNumber: string | null
  readonly outcome: string
  readonly message: string
}

/**
 * Answers a robot call (R: api-reference/bizproc/bizproc-robot/bizproc-event-send.md): the return
 * values for the next robots and a line for the workflow's log. An unknown or used event token is
 * refused by Bitrix24 with `ACCESS_DENIED`; the caller treats that as answered already.
 */
export async function sendRobotAnswer(client: PortalClient, eventToken: string, answer: RobotAnswer): Promise<void> {
  await sendRobotEvent(client, eventToken, { invoiceId: answer.invoiceId ?? 0, invoiceNumber: answer.invoiceNumber ?? '', outcome: answer.outcome }, answer.message)
}
