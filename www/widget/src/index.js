// The docs widget's one script: <script type="module" src=".../widget/convex-lens.js">, then
// <convex-lens-view view="schema"></convex-lens-view> after the code. Defines nothing else
// globally. Nothing loads until a widget is near the viewport (element.js).
import { ConvexLensView } from "./element.js";

if (!customElements.get("convex-lens-view")) customElements.define("convex-lens-view", ConvexLensView);
