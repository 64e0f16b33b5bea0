// Ids arrive from browsers: one that is not a uuid is simply not found (Postgres would refuse it
// with an error instead).
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string) => uuidPattern.test(id);
