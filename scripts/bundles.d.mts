// Types of scripts/bundles.mjs (plain JavaScript: scripts/start.mjs reads it before any bundle exists).
export declare const ENTRIES: { supervise: string; watch: string; worker: string; stripe: string };
export declare const DIST: string;
export declare const STAMP: string;
export declare const NEXT_BUILD_ID: string;
export declare function bundlePath(entry: string): string;
export declare function bundlesProblem(root: string): string | null;
