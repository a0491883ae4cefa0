import type { Stage } from '../../domain/stage.ts'
import type { StatusDto } from './crm-dto.ts'
import type { BatchOutcome, RestCall } from '../portal-client.ts'
import { ENTITY, required } from '../batch-outcome.ts'
import { invoiceStageEntityId, stageFromDto } from './crm-mappers.ts'

/** `crm.category.list` row: only the id is needed to address a pipeline's stages. */
export interface InvoicePipelineDto { id: number | string }

/** The smart-invoice pipelines, as one batch command. */
export const INVOICE_PIPELINES_CALL: RestCall = { method: 'crm.category.list', params: { entityTypeId: ENTITY.invoice } }

/** The pipelines from that command's outcome; throws its error. */
export function invoicePipelinesOf(outcome: BatchOutcome | undefined): InvoicePipelineDto[] {
  return required<{ categories: InvoicePipelineDto[] }>(outcome, 'crm.category.list').categories
}

/** One `crm.status.list` command per pipeline, keyed `stages<id>`, for ONE batch (at most 50 pipelines). */
export function pipelineStageCalls(pipelines: readonly InvoicePipelineDto[]): Array<readonly [string, RestCall]> {
  return pipelines.map(pipeline => [
    `stages${pipeline.id}`,
    { method: 'crm.status.list', params: { filter: { ENTITY_ID: invoiceStageEntityId(pipeline.id) }, order: { SORT: 'ASC' } } },
  ] as const)
}

/** Every pipeline's stages from the outcomes of `pipelineStageCalls`; a failed read throws (a stage left out would misclassify invoices). */
export function pipelineStagesOf(outcomes: Readonly<Record<string, BatchOutcome>>, pipelines: readonly InvoicePipelineDto[]): Stage[] {
  return pipelines.flatMap(pipeline => required<StatusDto[]>(outcomes[`stages${pipeline.id}`], 'crm.status.list').map(stageFromDto))
}
