import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @county/web` serves the console on :5173 and forwards the API to a running `npm start`.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': process.env.API_ORIGIN ?? 'http://127.0.0.1:3000' } },
});
