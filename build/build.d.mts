// Types for build.mjs, which runs with plain Node (no TypeScript) before anything is built.
export declare function buildTargets(targets?: readonly ('renderer' | 'main' | 'preload' | 'host' | 'peer')[]): Promise<void>;
