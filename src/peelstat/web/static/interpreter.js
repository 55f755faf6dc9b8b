// Vega's expression interpreter, put where app.js hands it to vega-embed: chart expressions are
// evaluated from their syntax tree, never compiled with Function(), so the page's
// Content-Security-Policy need not allow 'unsafe-eval'.
import { expressionInterpreter } from "/static/vendor/vega-interpreter.js";
window.vega.expressionInterpreter = expressionInterpreter;
