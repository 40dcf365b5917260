// Builds the browser page (the task pane + an uploaded-.xlsx workbook) into dist/browser, which `npm start`
// serves at / on the same origin as the API.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export const browserRoot = fileURLToPath(new URL('.', import.meta.url));
export const browserOutDir = fileURLToPath(new URL('../../dist/browser', import.meta.url));

export default defineConfig({
  root: browserRoot,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: browserOutDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
