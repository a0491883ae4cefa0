// One config that lints and formats (the stylistic rules below: the formatter is lint, `npm run lint:fix`).
import stylistic from '@stylistic/eslint-plugin'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const domainPurity = {
  patterns: [
    { group: ['vue', 'vue/*', '@vue/*', 'pinia', '@bitrix24/*'], message: 'src/domain stays pure: no vue, pinia or @bitrix24 imports.' },
    { group: ['**/portal/**', '**/flows/**', '**/stores/**', '**/views/**', '**/components/**', '**/i18n/**'], message: 'src/domain depends on nothing but itself.' },
  ],
}

/** Flows are plain async functions: no reactivity, no store, no UI kit (README, code map). */
const flowsStayPlain = {
  patterns: [
    { group: ['vue', 'vue/*', '@vue/*', 'pinia', 'pinia/*', '@bitrix24/b24ui*', '@bitrix24/b24ui*/**', '@bitrix24/b24icons*', '@bitrix24/b24icons*/**'], message: 'src/flows are plain async functions: no vue, pinia or UI kit imports.' },
  ],
}

/** Components take props and emit: they may name the portal's and the flows' types, never call them. */
const componentsPresent = {
  patterns: [
    { group: ['**/portal/**', '**/portal'], allowTypeImports: true, message: 'Components render and emit: a store or a composable calls the portal (import type is fine).' },
    { group: ['**/flows/**', '**/flows'], allowTypeImports: true, message: 'Components render and emit: a store or a composable runs the flow (import type is fine).' },
  ],
}

/** Stores and views reach Bitrix24 through src/flows; the portal's types are fine. */
const noPortalValues = {
  patterns: [
    { group: ['**/portal/**', '**/portal'], allowTypeImports: true, message: 'Stores and views reach the portal through src/flows (import type is fine).' },
  ],
}

/**
 * The portal is the only door to Bitrix24: outside `src/portal` no module imports a portal DTO
 * (a `-dto` file under a `portal/` folder) and no code writes a raw REST command — an object's `method` naming a REST
 * method (`crm.…`, `bizproc.…`, `tasks.…`, `im.…`, `user.…`, `app.…`, `event.…`, `batch` …), or
 * such a name handed to `.call(…)` / `.batch(…)`. Proved by test/lint/portal-boundary.test.ts.
 */
const REST_METHOD = /^(?:batch|profile|methods|scope|(?:crm|bizproc|tasks|task|im|user|app|event|server|placement|department|entity|disk|lists|calendar|sonet_group|log|catalog|sale|documentgenerator|userfieldconfig|timeman|imbot|imopenlines|telephony|pull|access|userfieldtype)\.[\w.]+)$/
const PORTAL_DTO = /(?:^|\/)portal\/(?:.+\/)?[^/]*-dto[^/]*$/
const portalBoundary = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      dto: 'Portal DTOs stay in src/portal: take the domain values a portal function returns.',
      command: 'Raw REST command "{{method}}" outside src/portal: call a typed portal function instead.',
    },
  },
  create(context) {
    const checkSource = (node, source) => {
      if (source && source.type === 'Literal' && typeof source.value === 'string' && PORTAL_DTO.test(source.value))
        context.report({ node, messageId: 'dto' })
    }
    const checkMethod = (node, value) => {
      if (value && value.type === 'Literal' && typeof value.value === 'string' && REST_METHOD.test(value.value))
        context.report({ node, messageId: 'command', data: { method: value.value } })
    }
    return {
      ImportDeclaration: node => checkSource(node, node.source),
      ExportNamedDeclaration: node => checkSource(node, node.source),
      ExportAllDeclaration: node => checkSource(node, node.source),
      ImportExpression: node => checkSource(node, node.source),
      Property(node) {
        const key = node.computed ? null : node.key.type === 'Identifier' ? node.key.name : node.key.value
        if (key === 'method')
          checkMethod(node, node.value)
      },
      CallExpression(node) {
        const callee = node.callee
        const name = callee.type === 'MemberExpression' && !callee.computed ? callee.property.name : null
        if (name === 'call' || name === 'callMethod' || name === 'batch')
          checkMethod(node, node.arguments[0])
      },
    }
  },
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-e2e/**', 'node_modules/**', 'components.d.ts', 'auto-imports.d.ts', '.e2e-artifacts/**', 'test/emulator/host/static/vendor/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  stylistic.configs.customize({ indent: 2, quotes: 'single', semi: false, jsx: false }),
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': ['error', { singleline: 4, multiline: 1 }],
      'vue/singleline-html-element-content-newline': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The domain is pure and clock-free (README «Code map»).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', domainPurity],
      'no-restricted-syntax': ['error',
        { selector: 'CallExpression[callee.object.name="Date"][callee.property.name="now"]', message: 'Time is a parameter in src/domain: pass `now` in.' },
        { selector: 'NewExpression[callee.name="Date"][arguments.length=0]', message: 'Time is a parameter in src/domain: pass `now` in.' },
      ],
    },
  },
  {
    // Only src/portal talks to Bitrix24 through the SDK.
    files: ['src/flows/**', 'src/stores/**', 'src/views/**', 'src/components/**', 'src/i18n/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@bitrix24/b24jssdk', '@bitrix24/b24jssdk/*'], message: 'Only src/portal imports the SDK.' }],
      }],
    },
  },
  {
    // Scripts reach the emulator through its entry point `#emulator` (README «Code map»), never deep paths in test/.
    files: ['scripts/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)test/', message: 'scripts/ import the emulator through \'#emulator\' (test/emulator/index.ts), not paths in test/.' }],
      }],
      'no-restricted-syntax': ['error', {
        selector: 'ImportExpression[source.value=/(^|\\/)test\\//]',
        message: 'scripts/ import the emulator through \'#emulator\' (test/emulator/index.ts), not paths in test/.',
      }],
    },
  },
  {
    // Layer rules: each is proved by a probe in test/lint/layer-rules.test.ts.
    files: ['src/flows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', flowsStayPlain] },
  },
  {
    files: ['src/components/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', componentsPresent] },
  },
  {
    files: ['src/stores/**', 'src/views/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', noPortalValues] },
  },
  {
    // No DTO and no raw REST command above src/portal (`portalBoundary`), the service included.
    files: ['src/**/*.ts', 'src/**/*.vue'],
    ignores: ['src/portal/**'],
    plugins: { 'invoice-desk-portal': { rules: { boundary: portalBoundary } } },
    rules: { 'invoice-desk-portal/boundary': 'error' },
  },
  {
    // Node programs and tests may print.
    files: ['scripts/**', 'src/cli/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
)
