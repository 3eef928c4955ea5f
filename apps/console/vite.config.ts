import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console's front end. `nx run console-app:build` writes dist/apps/console (what the console
// server serves); `nx run console-app:dev` serves it with hot reload, sending /api to a console
// server already running (CONSOLE_API, default the one `npm start` runs).
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': process.env.CONSOLE_API ?? 'http://127.0.0.1:8090' },
  },
});
