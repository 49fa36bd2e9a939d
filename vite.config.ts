import { cloudflare } from "@cloudflare/vite-plugin";
import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig(({ command }) => ({
  plugins: [
    // Workers AI cannot run offline; with remote bindings off `env.AI.run` throws and the
    // gateway treats that as one more provider failure.
    cloudflare({
      viteEnvironment: { name: "ssr" },
      remoteBindings: false,
      // Deployed (and under `npm start`), the Worker runs before static assets so the API host
      // serves none of them (wrangler.toml). Under Vite's dev server that would send Vite's own
      // module requests (/@vite/client, …) to the Worker too; there Vite serves them first.
      ...(command === "serve"
        ? { config: (worker) => ({ assets: { ...worker.assets, run_worker_first: false } }) }
        : {}),
    }),
    tailwindcss(),
    reactRouter(),
  ],
  resolve: { tsconfigPaths: true },
  environments: {
    // The Worker bundle is deployed unminified (readable stack traces); its doc comments are
    // only weight there. Licence and bundler annotations stay.
    ssr: { build: { rolldownOptions: { output: { comments: { legal: true, annotation: true, jsdoc: false } } } } },
  },
}));
