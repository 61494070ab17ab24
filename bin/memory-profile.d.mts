// Types of memory-profile.mjs, for the TypeScript that imports it (bench/).
export interface MemoryProfile {
  flags: string[];
  env: Record<string, string | undefined>;
}
export declare const profiles: Record<'small' | 'large', { flags: string[]; env: Record<string, string> }>;
export declare function memoryProfile(env: Record<string, string | undefined>, argv?: string[]): MemoryProfile;
export declare function memoryFlags(env: Record<string, string | undefined>, argv?: string[]): string[];
