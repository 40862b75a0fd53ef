// Lint rules, above all the layering of DESIGN.md: shared/ imports no DOM, Node or Electron;
// renderer/ never imports electron (the package or the folder); electron/ never imports renderer/.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules.filter((name) => !name.startsWith('_')), ...builtinModules.map((name) => `node:${name}`)];

const layer = (message) => (names) => names.map((name) => ({ name, message }));
const sharedMessage =
  'Bad layering: shared/ is pure TypeScript that runs everywhere; it may not import Node, Electron, the DOM, React or another layer.';
const rendererMessage = 'Bad layering: renderer/ may not import Electron or Node; ask the host through the HostApi in shared/host-api.ts.';
const electronMessage = 'Bad layering: electron/ may not import renderer/; share code through shared/.';

const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'location', 'fetch', 'HTMLElement'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'tests/fixtures/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: layer(sharedMessage)(['electron', 'react', 'react-dom', 'dexie', ...nodeModules]),
          patterns: [{ group: ['**/renderer/**', '**/electron/**', 'node:*', 'react-dom/*', '@types/node'], message: sharedMessage }],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...DOM_GLOBALS.map((name) => ({ name, message: sharedMessage })),
        { name: 'process', message: sharedMessage },
        { name: 'Buffer', message: sharedMessage },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: layer(rendererMessage)(['electron', ...nodeModules]),
          patterns: [{ group: ['**/electron/**', 'electron/*', 'node:*'], message: rendererMessage }],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: electronMessage }] }],
    },
  },
);
