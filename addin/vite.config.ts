// Builds the Excel task pane into dist/addin: taskpane.html, commands.html, hashed JS/CSS and the icons under
// assets/. Relative asset paths (base './') so the same files work from any origin or path (dev server,
// CloudFront, a file share).
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

export const paneRoot = fileURLToPath(new URL('./taskpane', import.meta.url));
export const paneOutDir = fileURLToPath(new URL('../dist/addin', import.meta.url));
const iconDir = fileURLToPath(new URL('./assets', import.meta.url));
const icons = () => readdirSync(iconDir).filter((f) => /^icon-\d+\.png$/.test(f));

/** The manifest's icons live in addin/assets; serve them at /assets/ in dev and ship them there in the build. */
function manifestIcons(): Plugin {
  return {
    name: 'baosong-manifest-icons',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = /^\/assets\/(icon-\d+\.png)$/.exec(req.url ?? '')?.[1];
        if (!name || !icons().includes(name)) return next();
        res.setHeader('Content-Type', 'image/png');
        res.end(readFileSync(`${iconDir}/${name}`));
      });
    },
    generateBundle() {
      for (const name of icons())
        this.emitFile({ type: 'asset', fileName: `assets/${name}`, source: readFileSync(`${iconDir}/${name}`) });
    },
  };
}

export default defineConfig({
  root: paneRoot,
  base: './',
  plugins: [react(), manifestIcons()],
  logLevel: 'warn',
  build: {
    outDir: paneOutDir,
    emptyOutDir: true,
    // One chunk for React + Fluent is what the pane loads anyway; the size budget lives in bench/addin.bench.ts.
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: {
        taskpane: `${paneRoot}/taskpane.html`,
        commands: `${paneRoot}/commands.html`,
      },
    },
  },
  server: { port: 3000, strictPort: true },
});
