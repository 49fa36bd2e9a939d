import { cloudflare } from "@cloudflare/vite-plugin";
import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [
    // Workers AI cannot run offline; with remote bindings off `env.AI.run` throws and the
    // gateway treats that as one more provider failure.
    cloudflare({ viteEnvironment: { name: "ssr" }, remoteBindings: false }),
    tailwindcss(),
    reactRouter(),
  ],
  resolve: { tsconfigPaths: true },
  environments: {
    // The Worker bundle is deployed unminified (readable stack traces); its doc comments are
    // only weight there. Licence and bundler annotations stay.
    ssr: { build: { rolldownOptions: { output: { comments: { legal: true, annotation: true, jsdoc: false } } } } },
  },
});
