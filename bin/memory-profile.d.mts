// Types of memory-profile.mjs, for the TypeScript that imports it (bench/).
export declare const SMALL_SEMI_SPACE_MIB: number;
export declare const profiles: Record<'small' | 'large', string[]>;
export declare function memoryFlags(env: Record<string, string | undefined>, argv?: string[]): string[];
