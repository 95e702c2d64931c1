import type { SecretSink } from '../resources/handler.js';

/**
 * A sink that masks each secret (`::add-mask::`) the moment it is created, before it is
 * delivered or anything else could print it; everything else is the wrapped sink's.
 */
export function maskingSink<S extends SecretSink>(sink: S, mask: (secret: string) => void): S {
  const wrapped = Object.create(sink) as S;
  wrapped.deliver = (secret) => {
    mask(secret.secretAccessKey);
    return sink.deliver(secret);
  };
  return wrapped;
}
