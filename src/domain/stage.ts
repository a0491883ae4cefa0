/** What a pipeline stage means: still open, won/paid, or lost/cancelled. */
export type StageSemantics = 'process' | 'success' | 'failure'

/** A stage of a CRM pipeline, e.g. the smart-invoice stage `DT31_5:P` «Оплачен». */
export interface Stage {
  readonly id: string
  readonly name: string
  readonly sort: number
  readonly categoryId: number | null
  readonly semantics: StageSemantics
  readonly color: string | null
}

/** Stages by id, built once per load. */
export type StageIndex = ReadonlyMap<string, Stage>

/** Indexes stages by their id. */
export function indexStages(stages: readonly Stage[]): StageIndex {
  return new Map(stages.map(stage => [stage.id, stage]))
}

/**
 * Whether `stage` is the first open stage of its pipeline (the invoice's draft stage, «Новый»).
 * Bitrix24 creates invoices there; any later open stage means the invoice went out.
 */
export function isInitialStage(stage: Stage, index: StageIndex): boolean {
  if (stage.semantics !== 'process')
    return false
  for (const other of index.values()) {
    if (other.categoryId === stage.categoryId && other.semantics === 'process' && other.sort < stage.sort)
      return false
  }
  return true
}
