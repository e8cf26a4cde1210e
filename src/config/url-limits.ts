/**
 * The body cap of URL allowlist sources. A leaf with no imports, so the configuration schema and the
 * fetcher share the default. Azure's ServiceTags_Public.json, the largest range list we know of, is
 * about 3-5 MB (2.7 MB at change 240 in 2023, growing since); 16 MiB leaves room for years of growth
 * while a URL that streams something else is cut off long before it costs memory.
 */

/** The most a URL allowlist source reads, unless its `maxBodyInBytes` says otherwise. */
export const DEFAULT_MAX_BODY_IN_BYTES = 16 * 1024 * 1024;

/** The largest `maxBodyInBytes` the configuration accepts: the body is held as text while it is parsed. */
export const MAX_BODY_IN_BYTES_LIMIT = 256 * 1024 * 1024;
