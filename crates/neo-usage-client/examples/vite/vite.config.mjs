// Built by scripts/client-tests.sh with the root's vite: `vite build crates/neo-usage-client/examples/vite`.
export default {
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
};
