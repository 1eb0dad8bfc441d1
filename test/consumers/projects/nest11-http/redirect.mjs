// Loaded with `node --import ./redirect.mjs` (through NODE_OPTIONS, so test files and the child
// processes they start get it too): the repository's compiled tests then resolve their package
// imports (Nest, nest-prometheus, prom-client, rxjs, …) from this project, i.e. NestJS 11 and the
// packed nest-prometheus, instead of the repository's own node_modules (NestJS 12, dist/).
import { register } from 'node:module';

register('./redirect-hooks.mjs', import.meta.url, { data: { parentURL: new URL('./package.json', import.meta.url).href } });
