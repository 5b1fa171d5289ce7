// Model accuracy benchmark; filled in with the fitted model.
export {};
