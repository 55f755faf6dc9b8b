// The vega-util functions vega-interpreter imports, taken from the vega bundle already loaded
// (vega 6.2.0 carries its own vega-util), so the interpreter and vega share one copy.
const vega = window.vega;
export const ascending = vega.ascending;
export const isString = vega.isString;
export const DisallowedObjectProperties = vega.DisallowedObjectProperties;
