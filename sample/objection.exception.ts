/** Thrown by `GET /objection`; not an HttpException, so Nest answers 500. */
export class ObjectionException extends Error {
  override readonly name = 'ObjectionException';

  constructor() {
    super('Objection!');
  }
}
