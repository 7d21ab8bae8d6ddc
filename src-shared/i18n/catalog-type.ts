import type { kk } from './catalogs/kk';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
/** Every language has exactly the keys of the Kazakh catalog. */
export type Catalog = Shape<typeof kk>;
