// Report page entry; filled in by the extension issue.
export {};
