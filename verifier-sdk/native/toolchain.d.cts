/** NODE_INCLUDE_DIR, else `<node prefix>/include/node` of the running node. */
export declare function nodeIncludeDir(): string;
/** Whether `dir` has what merkle-fold.c includes: N-API and OpenSSL's sha.h. */
export declare function hasAddonHeaders(dir: string): boolean;
