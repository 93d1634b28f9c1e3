// Starts the playground. A file rather than an inline script, so that the Content-Security-Policy
// of index.html can forbid inline scripts. Module scripts run in document order: editor.js has
// defined ConvexLensEditor by now.
import init from "./convex_lens_web.js";

init();
