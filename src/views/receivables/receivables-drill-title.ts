import type { DrillTarget } from '../../domain/receivables/drill-down.ts'
import type { ReceivablesData } from '../../flows/scan-receivables.ts'
import type { Translator } from '../../i18n/translate.ts'
import { bucketLabel, clientName, formatMonth } from '../../components/receivables/receivables-format.ts'

/** Which section a drill-down opens under: the one that was clicked. */
export type DrillSection = 'aging' | 'debtors' | 'trends' | 'breakdown'

export function drillSection(target: DrillTarget): DrillSection {
  switch (target.kind) {
    case 'bucket': return 'aging'
    case 'debtor': return 'debtors'
    case 'month': return 'trends'
    default: return 'breakdown'
  }
}

/** The drill-down's heading: «Просрочка 31–60 дней», «ООО «Ромашка»: просроченные счета», «Выставлены в мар 2026». */
export function drillTitle(target: DrillTarget, data: ReceivablesData, translator: Translator): string {
  const { t, locale } = translator
  switch (target.kind) {
    case 'bucket': return t('dashboard.drill.bucket', { bucket: bucketLabel(target.bucket, translator) })
    case 'debtor': {
      const [kind, id] = target.clientKey.split(':')
      const client = kind === 'company' || kind === 'contact' ? { kind, id: Number(id) } as const : null
      return t('dashboard.drill.debtor', { client: clientName(target.clientKey, client, data.clients, translator) })
    }
    case 'month': return t('dashboard.drill.month', { month: formatMonth(target.month, locale) })
    case 'manager': return t('dashboard.drill.manager', { name: target.responsibleId === null ? t('dashboard.breakdown.none') : data.managers.get(target.responsibleId) ?? `#${target.responsibleId}` })
    case 'pipeline': return t('dashboard.drill.pipeline', { name: data.pipelines.find(p => p.id === target.categoryId)?.name ?? `#${target.categoryId}` })
  }
}
