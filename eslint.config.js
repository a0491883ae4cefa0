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
    // Node programs and tests may print.
    files: ['scripts/**', 'src/cli/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
)
