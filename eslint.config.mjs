// Lint rules that keep the layers honest (cf. VS Code's code-layering rule):
//   src-shared   ← pure TS: no Node, no DOM, no other folder
//   src-renderer ← src-shared only
//   src-main     ← src-shared (+ Node); only src-main/electron/ may import 'electron'
//   src-portal   ← src-shared (+ Node); never src-main
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['better-sqlite3', 'fastify', 'nodemailer', 'ws', 'electron-updater', 'smtp-server'];
const folder = (name) => ({ group: [`**/${name}`, `**/${name}/**`], message: `this layer must not import ${name}` });
const electronBan = { name: 'electron', message: "only src-main/electron/ may import 'electron'" };

// Globals that mean "this code touches the DOM or the host": forbidden in src-shared.
const domAndHostGlobals = [
  'window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'location', 'HTMLElement',
  'XMLHttpRequest', 'WebSocket', 'fetch', 'process', 'Buffer', 'require', '__dirname', '__filename', 'setImmediate',
].map((name) => ({ name, message: 'src-shared is environment-neutral: pass this in from src-main, src-portal or src-renderer' }));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'artifacts/**', '.electron-native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "Property[key.name='rejectUnauthorized'][value.value=false]", message: 'never disable TLS verification' },
      ],
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeBuiltins.map((name) => ({ name, message: 'src-shared imports no Node module' })), electronBan,
          ...nodeOnlyPackages.map((name) => ({ name, message: 'src-shared imports no Node-only package' })), { name: 'react', message: 'no UI in src-shared' }],
        patterns: [folder('src-main'), folder('src-renderer'), folder('src-portal'), folder('test')],
      }],
      'no-restricted-globals': ['error', ...domAndHostGlobals],
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeBuiltins.map((name) => ({ name, message: 'the renderer runs sandboxed: no Node modules' })), electronBan,
          ...nodeOnlyPackages.map((name) => ({ name, message: 'Node-only package in the renderer' }))],
        patterns: [folder('src-main'), folder('src-portal'), folder('test')],
      }],
      'no-restricted-globals': ['error', 'process', 'require', 'Buffer', '__dirname'],
    },
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: [folder('src-portal'), folder('src-renderer')] }],
    },
  },
  {
    files: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [folder('src-portal'), folder('src-renderer')] }],
    },
  },
  {
    files: ['src-portal/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: [folder('src-main'), folder('src-renderer')] }],
    },
  },
);
