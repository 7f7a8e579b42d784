/** The newest modification time (epoch ms) of any file below `dir`, 0 when it does not exist. */
export declare function newestMtime(dir: string): number;
/** The newest modification time below any of `dirs` (folder names under `root`). */
export declare function newestSourceMtime(root: string, dirs: readonly string[]): number;
