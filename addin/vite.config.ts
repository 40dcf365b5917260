// Builds the Excel task pane into dist/addin: taskpane.html, commands.html, hashed JS/CSS and the icons under
// assets/. Relative asset paths (base './') so the same files work from any origin or path (dev server,
// CloudFront, a file share).
//   env OFFICE_JS=self  office.js and the Excel files it loads come from the pane's own origin (./office/, copied
//                       from @microsoft/office-js) instead of Microsoft's CDN: for intranets that cannot reach it.
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

/** Where the pages load office.js from by default: Microsoft's CDN, the only source Microsoft supports. */
export const OFFICE_JS_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const officeDist = fileURLToPath(new URL('../node_modules/@microsoft/office-js/dist', import.meta.url));

/**
 * The files office.js loads in Excel, relative to its own folder: the Excel file of each platform
 * (`excel-<platform>-<version>.js`, office.js picks one by the host it finds), the strings of the languages a
 * clerk's Office may use, and its telemetry helpers. Debug builds, other Office apps and Office 2013 are left out.
 */
export function selfHostedOfficeFiles(): string[] {
  const excel = readdirSync(officeDist).filter((f) => /^excel-[a-z0-9]+-16\.\d\d(-core)?\.js$/.test(f));
  const strings = ['zh-cn', 'zh-tw', 'zh-hk', 'en-us'].map((locale) => `${locale}/office_strings.js`);
  // o15apptofilemappingtable.js: what office.js reads first outside Office and in hosts that do not name their file.
  return [
    'office.js',
    'o15apptofilemappingtable.js',
    ...excel,
    ...strings,
    'telemetry/oteljs_agave.js',
    'ariatelemetry/aria-web-telemetry.js',
  ];
}

/** `OFFICE_JS=self`: pages load ./office/office.js, served in dev and shipped in the build from @microsoft/office-js. */
function officeJs(selfHosted: boolean): Plugin {
  const files = selfHostedOfficeFiles();
  return {
    name: 'baosong-office-js',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => (selfHosted ? html.replaceAll(OFFICE_JS_CDN, './office/office.js') : html),
    },
    // The dev server always serves them, so a pane built either way can be tried against it.
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = /^\/office\/([^?#]+)/.exec(req.url ?? '')?.[1];
        if (!file || !files.includes(file)) return next();
        res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
        res.end(readFileSync(`${officeDist}/${file}`));
      });
    },
    generateBundle() {
      if (!selfHosted) return;
      for (const file of files)
        this.emitFile({ type: 'asset', fileName: `office/${file}`, source: readFileSync(`${officeDist}/${file}`) });
    },
  };
}

export default defineConfig({
  root: paneRoot,
  base: './',
  plugins: [react(), manifestIcons(), officeJs(process.env.OFFICE_JS === 'self')],
  logLevel: 'warn',
  build: {
    outDir: paneOutDir,
    emptyOutDir: true,
    // Chromium's WebView2 (Microsoft 365 from version 2011, Office 2021) and macOS's WebKit from Safari 14 (Excel
    // for Mac 16.50, the first with ExcelApi 1.13); Internet Explorer 11 and the old Edge cannot run it, and
    // taskpane.html says so there.
    target: ['es2020', 'chrome87', 'edge88', 'firefox78', 'safari14'],
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
