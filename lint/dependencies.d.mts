/** Types of lint/dependencies.mjs for the tests that import it. */
export declare const PACKAGES: Record<string, string[]>;
export declare const LAYER_PATHS: Record<string, string>;
export declare function ruleSet(): { forbidden: Array<Record<string, unknown>> };
export declare function checkDependencies(opts?: { baseDir?: string; targets?: string[] }): Promise<{ lines: string[]; modules: number }>;
