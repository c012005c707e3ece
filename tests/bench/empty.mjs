// An empty module file: what importing any file costs Node (the bench's cold-start floor).
export const empty = 1;
