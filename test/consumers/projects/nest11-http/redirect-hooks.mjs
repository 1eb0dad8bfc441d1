// Module resolution hooks registered by redirect.mjs.
const REDIRECTED = /^(@nestjs\/|@fastify\/view$|nest-prometheus(\/|$)|prom-client(\/|$)|rxjs(\/|$)|reflect-metadata$|handlebars$|hbs$)/;
let parentURL;

export function initialize(data) {
  parentURL = data.parentURL;
}

export async function resolve(specifier, context, nextResolve) {
  return REDIRECTED.test(specifier) ? nextResolve(specifier, { ...context, parentURL }) : nextResolve(specifier, context);
}
