// The README's recipe for VitePress, as written there: the widget's folder in `docs/public/`,
// its script in `head`, and Vue told that `convex-lens-*` tags are custom elements.
import { defineConfig } from "vitepress";

export default defineConfig({
  title: "convex-lens in VitePress",
  head: [["script", { type: "module", src: "/convex-lens/convex-lens.js" }]],
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith("convex-lens-") } } },
});
