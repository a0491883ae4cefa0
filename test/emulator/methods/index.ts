/** Method name → definition. `batch` is handled by the engine itself. */
import type { MethodRegistry } from '../rest/method-types.ts'
import { appMethods } from './app.ts'
import { crmDirectoryMethods } from './crm-directories.ts'
import { crmItemMethods } from './crm-item.ts'
import { crmProductRowMethods } from './crm-product-row.ts'
import { placementMethods } from './placement.ts'
import { userMethods } from './users.ts'

export const methodRegistry: MethodRegistry = {
  ...crmItemMethods,
  ...crmProductRowMethods,
  ...crmDirectoryMethods,
  ...userMethods,
  ...appMethods,
  ...placementMethods,
}
